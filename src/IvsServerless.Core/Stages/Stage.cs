namespace IvsServerless.Core.Stages;

public enum StageVisibility
{
    /// <summary>Any signed-in user may watch (subscribe).</summary>
    Public,

    /// <summary>Only the owner, co-hosts and invited users may join.</summary>
    Private,
}

/// <summary>How a user relates to a stage; decides what they may do there.</summary>
public enum StageRole
{
    Owner,
    CoHost,
    Invited,
    Other,
}

/// <summary>
/// A stage as the backend owns it: the IVS stage plus who created it, who co-hosts it and who may see it.
/// The creator is the owner for the stage's whole life (ownership is also tagged on the IVS stage).
/// <see cref="ActiveSessionId"/> is projected from IVS events and the reconciler (null = nobody live), as of
/// <see cref="ActiveSessionObservedAt"/>; <see cref="Version"/>
/// guards concurrent updates (a store write succeeds only against the version it read).
/// <see cref="Endpoints"/> caches the IVS stage endpoints self-signed participant tokens carry (null on stages stored
/// before they were cached: read once from IVS, then stored). <see cref="Recording"/>: individual participant recording as
/// the owner set it (null = off). <see cref="BannedUserIds"/> may never get a participant token for (or exchange one on)
/// the stage.
/// </summary>
public sealed record Stage(
    string StageId,
    string StageArn,
    string Name,
    string OwnerId,
    StageVisibility Visibility,
    IReadOnlySet<string> CoHostIds,
    IReadOnlySet<string> InvitedUserIds,
    DateTimeOffset CreatedAt,
    bool Deleted = false,
    string? ActiveSessionId = null,
    long Version = 1,
    DateTimeOffset? ActiveSessionObservedAt = null,
    StageEndpoints? Endpoints = null,
    StageRecording? Recording = null)
{
    public const int MaxCoHosts = 11;
    public const int MaxInvitedUsers = 1000;
    public const int MaxBannedUsers = 1000;

    /// <summary>Users the owner banned: no token, no exchange; never co-hosts or invitees at the same time.</summary>
    public IReadOnlySet<string> BannedUserIds { get; init; } = new HashSet<string>();

    public bool IsBanned(string userId) => BannedUserIds.Contains(userId);

    /// <summary>
    /// The stage with <paramref name="userId"/> banned: removed from co-hosts and invitations at the same time. Null when
    /// already banned.
    /// </summary>
    public Stage? WithBan(string userId) => IsBanned(userId)
        ? null
        : this with
        {
            BannedUserIds = new HashSet<string>(BannedUserIds, StringComparer.Ordinal) { userId },
            CoHostIds = CoHostIds.Where(u => u != userId).ToHashSet(StringComparer.Ordinal),
            InvitedUserIds = InvitedUserIds.Where(u => u != userId).ToHashSet(StringComparer.Ordinal),
            Version = Version + 1,
        };

    /// <summary>The stage with the ban on <paramref name="userId"/> lifted; null when they were not banned.</summary>
    public Stage? WithoutBan(string userId) => IsBanned(userId)
        ? this with { BannedUserIds = BannedUserIds.Where(u => u != userId).ToHashSet(StringComparer.Ordinal), Version = Version + 1 }
        : null;

    /// <summary>Whether the user may join at all: a public stage, or a role on a private one (and never when banned).</summary>
    public bool MayJoin(string userId) => !IsBanned(userId) && IsVisibleTo(userId);

    public StageRole RoleOf(string userId) =>
        userId == OwnerId ? StageRole.Owner
        : CoHostIds.Contains(userId) ? StageRole.CoHost
        : InvitedUserIds.Contains(userId) ? StageRole.Invited
        : StageRole.Other;

    /// <summary>Whether the user may see the stage at all (get it, list it, subscribe).</summary>
    public bool IsVisibleTo(string userId) => Visibility == StageVisibility.Public || RoleOf(userId) != StageRole.Other;

    /// <summary>Owner-only actions: update, delete, disconnect participants, compositions, co-hosts.</summary>
    public bool IsOwnedBy(string userId) => userId == OwnerId;

    /// <summary>
    /// Whether this stored record is the one a create of <paramref name="created"/> wrote: the same request retried after
    /// its response was lost finds it, and that is success, not a conflict.
    /// </summary>
    public bool IsRecordOf(Stage created) =>
        created is not null && StageArn == created.StageArn && OwnerId == created.OwnerId && Name == created.Name
        && Version == created.Version;

    /// <summary>
    /// The stage with <paramref name="sessionId"/> as its live session (null = none) as observed at
    /// <paramref name="observedAt"/>, or null when an observation at least as new is already recorded or nothing
    /// would change. Events and the reconciler both report sessions, late and out of order: the newest observation wins.
    /// </summary>
    public Stage? WithActiveSession(string? sessionId, DateTimeOffset observedAt)
    {
        if ((ActiveSessionObservedAt is { } seen && seen >= observedAt)
            || (ActiveSessionId == sessionId && ActiveSessionObservedAt is not null))
        {
            return null;
        }

        return this with { ActiveSessionId = sessionId, ActiveSessionObservedAt = observedAt.ToUniversalTime(), Version = Version + 1 };
    }
}
