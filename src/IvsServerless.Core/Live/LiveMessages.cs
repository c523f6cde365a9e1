using System.Text.Json.Serialization;

namespace IvsServerless.Core.Live;

/// <summary>
/// Every message the live-updates WebSocket sends to a client (the catalogue; <c>asyncapi.yaml</c> beside
/// <c>openapi.yaml</c> documents exactly these, a test keeps the two equal). The <c>type</c> member names the message.
/// Stage messages carry the stage's live version: it grows by exactly one with every change a stage's subscribers are
/// told about, so a client that sees <c>version</c> jump by more than one missed something and refetches the stage.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(StageChanged), StageChanged.Type)]
[JsonDerivedType(typeof(ParticipantJoined), ParticipantJoined.Type)]
[JsonDerivedType(typeof(ParticipantLeft), ParticipantLeft.Type)]
[JsonDerivedType(typeof(PublishingStarted), PublishingStarted.Type)]
[JsonDerivedType(typeof(PublishingStopped), PublishingStopped.Type)]
[JsonDerivedType(typeof(CompositionChanged), CompositionChanged.Type)]
[JsonDerivedType(typeof(RecordingChanged), RecordingChanged.Type)]
[JsonDerivedType(typeof(StageDeleted), StageDeleted.Type)]
[JsonDerivedType(typeof(Invited), Invited.Type)]
[JsonDerivedType(typeof(Promoted), Promoted.Type)]
[JsonDerivedType(typeof(Demoted), Demoted.Type)]
[JsonDerivedType(typeof(Kicked), Kicked.Type)]
[JsonDerivedType(typeof(AccessRevoked), AccessRevoked.Type)]
[JsonDerivedType(typeof(Subscribed), Subscribed.Type)]
[JsonDerivedType(typeof(Unsubscribed), Unsubscribed.Type)]
[JsonDerivedType(typeof(LiveError), LiveError.Type)]
[JsonDerivedType(typeof(Pong), Pong.Type)]
public abstract record LiveMessage
{
    /// <summary>Every message type, as sent in <c>type</c>.</summary>
    public static IReadOnlyList<string> Types { get; } =
    [
        StageChanged.Type, ParticipantJoined.Type, ParticipantLeft.Type, PublishingStarted.Type, PublishingStopped.Type,
        CompositionChanged.Type, RecordingChanged.Type, StageDeleted.Type, Invited.Type, Promoted.Type, Demoted.Type, Kicked.Type,
        AccessRevoked.Type, Subscribed.Type, Unsubscribed.Type, LiveError.Type, Pong.Type,
    ];
}

/// <summary>A message about one stage, ordered by the stage's live version.</summary>
public abstract record StageMessage(string StageId, long Version) : LiveMessage
{
    /// <summary>This message with the version the notifier assigned.</summary>
    public abstract StageMessage WithVersion(long version);
}

/// <summary>What any viewer may know of a stage's settings (the invitation list is the owner's: refetch it).</summary>
public sealed record StageSettings(string Name, string Visibility, IReadOnlyList<string> CoHostIds);

/// <summary>The stage went live or idle, changed its active session, or its settings changed.</summary>
public sealed record StageChanged(string StageId, long Version, bool Live, string? ActiveSessionId, StageSettings Settings)
    : StageMessage(StageId, Version)
{
    public const string Type = "stage-changed";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>A participant of the stage's session, as its messages name it (user id once known).</summary>
public abstract record ParticipantMessage(string StageId, long Version, string SessionId, string ParticipantId, string? UserId)
    : StageMessage(StageId, Version);

public sealed record ParticipantJoined(string StageId, long Version, string SessionId, string ParticipantId, string? UserId)
    : ParticipantMessage(StageId, Version, SessionId, ParticipantId, UserId)
{
    public const string Type = "participant-joined";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

public sealed record ParticipantLeft(string StageId, long Version, string SessionId, string ParticipantId, string? UserId)
    : ParticipantMessage(StageId, Version, SessionId, ParticipantId, UserId)
{
    public const string Type = "participant-left";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

public sealed record PublishingStarted(string StageId, long Version, string SessionId, string ParticipantId, string? UserId)
    : ParticipantMessage(StageId, Version, SessionId, ParticipantId, UserId)
{
    public const string Type = "publishing-started";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

public sealed record PublishingStopped(string StageId, long Version, string SessionId, string ParticipantId, string? UserId)
    : ParticipantMessage(StageId, Version, SessionId, ParticipantId, UserId)
{
    public const string Type = "publishing-stopped";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>A participant's individual recording changed state (ACTIVE, STOPPED, START_FAILED, END_FAILED).</summary>
public sealed record RecordingChanged(
    string StageId, long Version, string SessionId, string ParticipantId, string? UserId, string State)
    : ParticipantMessage(StageId, Version, SessionId, ParticipantId, UserId)
{
    public const string Type = "recording-changed";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>A composition was started, changed state (STARTING, ACTIVE, STOPPING, STOPPED, FAILED) or failed.</summary>
public sealed record CompositionChanged(string StageId, long Version, string CompositionId, string State, string? FailureReason)
    : StageMessage(StageId, Version)
{
    public const string Type = "composition-changed";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>The stage is gone; its subscriptions end with this message.</summary>
public sealed record StageDeleted(string StageId, long Version) : StageMessage(StageId, Version)
{
    public const string Type = "stage-deleted";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>To one user: they were added to the stage's invitations.</summary>
public sealed record Invited(string StageId, long Version) : StageMessage(StageId, Version)
{
    public const string Type = "invited";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>To one user: they became a co-host.</summary>
public sealed record Promoted(string StageId, long Version) : StageMessage(StageId, Version)
{
    public const string Type = "promoted";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>To one user: they are no longer a co-host.</summary>
public sealed record Demoted(string StageId, long Version) : StageMessage(StageId, Version)
{
    public const string Type = "demoted";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>To one user: the owner disconnected their participant from the stage.</summary>
public sealed record Kicked(string StageId, long Version, string ParticipantId, string? Reason) : StageMessage(StageId, Version)
{
    public const string Type = "kicked";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>To one connection: it may no longer see the stage; its subscription was dropped. The last message of the stage.</summary>
public sealed record AccessRevoked(string StageId, long Version) : StageMessage(StageId, Version)
{
    public const string Type = "access-revoked";

    public override StageMessage WithVersion(long version) => this with { Version = version };
}

/// <summary>The answer to <c>subscribe</c>: the stage's live version now (the next change carries version + 1).</summary>
public sealed record Subscribed(string StageId, long Version) : LiveMessage
{
    public const string Type = "subscribed";

}

public sealed record Unsubscribed(string StageId) : LiveMessage
{
    public const string Type = "unsubscribed";

}

/// <summary>A frame was refused: nothing was written, the connection stays open.</summary>
public sealed record LiveError(string Code, string Message, string? StageId = null) : LiveMessage
{
    public const string Type = "error";

}

public sealed record Pong : LiveMessage
{
    public const string Type = "pong";

}

/// <summary>The error codes of <see cref="LiveError"/>.</summary>
public static class LiveErrorCodes
{
    public const string InvalidJson = "invalid-json";
    public const string UnknownAction = "unknown-action";
    public const string FrameTooLarge = "frame-too-large";
    public const string InvalidStageId = "invalid-stage-id";
    public const string StageNotFound = "stage-not-found";
    public const string TooManyRequests = "too-many-requests";
    public const string TooManySubscriptions = "too-many-subscriptions";

    public static IReadOnlyList<string> All { get; } =
        [InvalidJson, UnknownAction, FrameTooLarge, InvalidStageId, StageNotFound, TooManyRequests, TooManySubscriptions];
}

/// <summary>A frame from the client: <c>{"action":"subscribe"|"unsubscribe","stageId":…}</c> or <c>{"action":"ping"}</c>.</summary>
public sealed record LiveRequest(string? Action, string? StageId);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(LiveMessage))]
[JsonSerializable(typeof(LiveRequest))]
public sealed partial class LiveJsonContext : JsonSerializerContext;
