using Amazon.DynamoDBv2.Model;
using IvsServerless.Core.Live;
using IvsServerless.Core.Stages;
using IvsServerless.Infrastructure.DynamoDb;

namespace IvsServerless.Infrastructure.Live;

/// <summary>
/// What a change of the table means to live clients (pure: no I/O). Each item kind of the single table
/// (README.md beside this file) maps to its messages and recipients; items clients never see map to nothing.
/// Versions are assigned later, by the notifier, in stream order.
/// </summary>
public static class TableChangeMapper
{
    public const string KickSortKeyPrefix = "KICK#";

    public static LiveChange? Map(TableChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var pk = change.PartitionKey;
        if (!pk.StartsWith("STAGE#", StringComparison.Ordinal))
        {
            return null;
        }

        var stageId = pk["STAGE#".Length..];
        var sk = change.SortKey;
        if (sk == TableLayout.StageSortKey)
        {
            return MapStage(stageId, change);
        }

        if (sk.StartsWith(TableLayout.CompositionSortKeyPrefix, StringComparison.Ordinal))
        {
            return MapComposition(stageId, sk[TableLayout.CompositionSortKeyPrefix.Length..], change);
        }

        if (sk.StartsWith(KickSortKeyPrefix, StringComparison.Ordinal))
        {
            return MapKick(stageId, change);
        }

        if (sk.StartsWith("SESSION#", StringComparison.Ordinal) && sk.Contains("#PARTICIPANT#", StringComparison.Ordinal))
        {
            return MapParticipant(stageId, change);
        }

        // Sessions, the event log, idempotency claims: nothing a client is told about.
        return null;
    }

    private static LiveChange MapStage(string stageId, TableChange change)
    {
        var before = change.OldImage is { } old ? StageItem.To(Mutable(old)) : null;
        var after = change.NewImage is { } now ? StageItem.To(Mutable(now)) : null;
        if (after is null || after.Deleted)
        {
            // Deleted (flag or item): the last message of the stage; only once.
            return before is { Deleted: true } || (before is null && after is null)
                ? LiveChange.None(stageId)
                : new LiveChange(stageId, [new Delivery(Audience.Subscribers, new StageDeleted(stageId, 0))], after, StageGone: true);
        }

        var deliveries = new List<Delivery>();
        if (before is null || Visible(before) != Visible(after))
        {
            deliveries.Add(new Delivery(Audience.Subscribers, Changed(after)));
        }

        var coHostsBefore = before?.CoHostIds ?? new HashSet<string>();
        foreach (var user in after.CoHostIds.Except(coHostsBefore).Order(StringComparer.Ordinal))
        {
            deliveries.Add(new Delivery(Audience.User(user), new Promoted(stageId, 0)));
        }

        foreach (var user in coHostsBefore.Except(after.CoHostIds).Order(StringComparer.Ordinal))
        {
            deliveries.Add(new Delivery(Audience.User(user), new Demoted(stageId, 0)));
        }

        var invitedBefore = before?.InvitedUserIds ?? new HashSet<string>();
        foreach (var user in after.InvitedUserIds.Except(invitedBefore).Order(StringComparer.Ordinal))
        {
            deliveries.Add(new Delivery(Audience.User(user), new Invited(stageId, 0)));
        }

        return new LiveChange(stageId, deliveries, after);
    }

    /// <summary>What <see cref="StageChanged"/> tells: a change of anything else (version, endpoints, observation time) is
    /// silent.</summary>
    private static string Visible(Stage stage) => string.Join('\n',
        stage.Name, stage.Visibility, stage.ActiveSessionId ?? "", string.Join(',', stage.CoHostIds.Order(StringComparer.Ordinal)),
        string.Join(',', stage.InvitedUserIds.Order(StringComparer.Ordinal)));

    public static StageChanged Changed(Stage stage) => new(
        stage.StageId, 0, stage.ActiveSessionId is not null, stage.ActiveSessionId,
        new StageSettings(stage.Name, stage.Visibility == StageVisibility.Public ? "public" : "private",
            [.. stage.CoHostIds.Order(StringComparer.Ordinal)]));

    private static LiveChange MapComposition(string stageId, string compositionId, TableChange change)
    {
        if (change.NewImage is not { } now)
        {
            return LiveChange.None(stageId);
        }

        var state = Text(now, "state");
        var reason = Text(now, "failureReason");
        if (state is null || (change.OldImage is { } old && Text(old, "state") == state && Text(old, "failureReason") == reason))
        {
            return LiveChange.None(stageId);
        }

        return new LiveChange(
            stageId, [new Delivery(Audience.Subscribers, new CompositionChanged(stageId, 0, compositionId, state, reason))]);
    }

    private static LiveChange MapParticipant(string stageId, TableChange change)
    {
        if (change.NewImage is not { } now)
        {
            return LiveChange.None(stageId);
        }

        var old = change.OldImage ?? new Dictionary<string, AttributeValue>();
        var sessionId = Text(now, "sessionId") ?? "";
        var participantId = Text(now, "participantId") ?? "";
        var userId = Text(now, ProjectionItems.UserId);
        var deliveries = new List<Delivery>();
        void Add(StageMessage message) => deliveries.Add(new Delivery(Audience.Subscribers, message));

        // Present: in the session as far as the table knows. An item appears with the first event or observation of the
        // participant (joined); the reconciler's presence, once recorded, says whether they are still there.
        var presentBefore = change.OldImage is not null && Flag(old, ProjectionItems.Connected) != false;
        var presentNow = Flag(now, ProjectionItems.Connected) != false;
        if (presentNow && !presentBefore)
        {
            Add(new ParticipantJoined(stageId, 0, sessionId, participantId, userId));
        }

        var publishingBefore = Flag(old, "publishing") == true;
        var publishingNow = Flag(now, "publishing") == true;
        if (publishingNow && !publishingBefore)
        {
            Add(new PublishingStarted(stageId, 0, sessionId, participantId, userId));
        }
        else if (!publishingNow && publishingBefore)
        {
            Add(new PublishingStopped(stageId, 0, sessionId, participantId, userId));
        }

        var recording = Text(now, "recording");
        if (recording is not null && recording != Text(old, "recording"))
        {
            Add(new RecordingChanged(stageId, 0, sessionId, participantId, userId, recording));
        }

        if (presentBefore && !presentNow)
        {
            Add(new ParticipantLeft(stageId, 0, sessionId, participantId, userId));
        }

        return new LiveChange(stageId, deliveries);
    }

    private static LiveChange MapKick(string stageId, TableChange change)
    {
        if (change.Kind != ChangeKind.Insert || change.NewImage is not { } kick || Text(kick, "participantId") is not { } participantId)
        {
            return LiveChange.None(stageId);
        }

        var message = new Kicked(stageId, 0, participantId, Text(kick, "reason"));
        var audience = Text(kick, ProjectionItems.UserId) is { } userId ? Audience.User(userId)
            : Text(kick, "sessionId") is { } sessionId ? Audience.Participant(sessionId, participantId)
            : null;
        return audience is null ? LiveChange.None(stageId) : new LiveChange(stageId, [new Delivery(audience, message)]);
    }

    private static string? Text(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static bool? Flag(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.BOOL : null;

    private static Dictionary<string, AttributeValue> Mutable(IReadOnlyDictionary<string, AttributeValue> item) =>
        item as Dictionary<string, AttributeValue> ?? new Dictionary<string, AttributeValue>(item);
}
