using System.Text.Json.Serialization;

namespace IvsServerless.IvsRealTime;

// The wire values are SCREAMING_SNAKE_CASE; each member names its wire value explicitly so a rename in C#
// can never change what goes over the wire.

public enum ParticipantTokenCapability
{
    [JsonStringEnumMemberName("PUBLISH")] Publish,
    [JsonStringEnumMemberName("SUBSCRIBE")] Subscribe,
}

public enum CompositionState
{
    [JsonStringEnumMemberName("STARTING")] Starting,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("STOPPING")] Stopping,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}

public enum DestinationState
{
    [JsonStringEnumMemberName("STARTING")] Starting,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("STOPPING")] Stopping,
    [JsonStringEnumMemberName("RECONNECTING")] Reconnecting,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}

public enum ParticipantState
{
    [JsonStringEnumMemberName("CONNECTED")] Connected,
    [JsonStringEnumMemberName("DISCONNECTED")] Disconnected,
}

public enum ParticipantProtocol
{
    [JsonStringEnumMemberName("UNKNOWN")] Unknown,
    [JsonStringEnumMemberName("WHIP")] Whip,
    [JsonStringEnumMemberName("RTMP")] Rtmp,
    [JsonStringEnumMemberName("RTMPS")] Rtmps,
}

public enum ParticipantRecordingState
{
    [JsonStringEnumMemberName("STARTING")] Starting,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("STOPPING")] Stopping,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
    [JsonStringEnumMemberName("FAILED")] Failed,
    [JsonStringEnumMemberName("DISABLED")] Disabled,
}

public enum ParticipantRecordingFilterByRecordingState
{
    [JsonStringEnumMemberName("STARTING")] Starting,
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("STOPPING")] Stopping,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
    [JsonStringEnumMemberName("FAILED")] Failed,
}

public enum ParticipantRecordingMediaType
{
    [JsonStringEnumMemberName("AUDIO_VIDEO")] AudioVideo,
    [JsonStringEnumMemberName("AUDIO_ONLY")] AudioOnly,
    [JsonStringEnumMemberName("NONE")] None,
}

public enum IngestProtocol
{
    [JsonStringEnumMemberName("RTMP")] Rtmp,
    [JsonStringEnumMemberName("RTMPS")] Rtmps,
}

public enum ReplicationState
{
    [JsonStringEnumMemberName("ACTIVE")] Active,
    [JsonStringEnumMemberName("STOPPED")] Stopped,
}

public enum ReplicationType
{
    [JsonStringEnumMemberName("SOURCE")] Source,
    [JsonStringEnumMemberName("REPLICA")] Replica,
    [JsonStringEnumMemberName("NONE")] None,
}

public enum ThumbnailRecordingMode
{
    [JsonStringEnumMemberName("INTERVAL")] Interval,
    [JsonStringEnumMemberName("DISABLED")] Disabled,
}

public enum ThumbnailStorageType
{
    [JsonStringEnumMemberName("SEQUENTIAL")] Sequential,
    [JsonStringEnumMemberName("LATEST")] Latest,
}

public enum RecordingConfigurationFormat
{
    [JsonStringEnumMemberName("HLS")] Hls,
}

public enum VideoAspectRatio
{
    [JsonStringEnumMemberName("AUTO")] Auto,
    [JsonStringEnumMemberName("VIDEO")] Video,
    [JsonStringEnumMemberName("SQUARE")] Square,
    [JsonStringEnumMemberName("PORTRAIT")] Portrait,
}

public enum VideoFillMode
{
    [JsonStringEnumMemberName("FILL")] Fill,
    [JsonStringEnumMemberName("COVER")] Cover,
    [JsonStringEnumMemberName("CONTAIN")] Contain,
}

public enum PipBehavior
{
    [JsonStringEnumMemberName("STATIC")] Static,
    [JsonStringEnumMemberName("DYNAMIC")] Dynamic,
}

public enum PipPosition
{
    [JsonStringEnumMemberName("TOP_LEFT")] TopLeft,
    [JsonStringEnumMemberName("TOP_RIGHT")] TopRight,
    [JsonStringEnumMemberName("BOTTOM_LEFT")] BottomLeft,
    [JsonStringEnumMemberName("BOTTOM_RIGHT")] BottomRight,
}

public enum EventName
{
    [JsonStringEnumMemberName("JOINED")] Joined,
    [JsonStringEnumMemberName("LEFT")] Left,
    [JsonStringEnumMemberName("PUBLISH_STARTED")] PublishStarted,
    [JsonStringEnumMemberName("PUBLISH_STOPPED")] PublishStopped,
    [JsonStringEnumMemberName("SUBSCRIBE_STARTED")] SubscribeStarted,
    [JsonStringEnumMemberName("SUBSCRIBE_STOPPED")] SubscribeStopped,
    [JsonStringEnumMemberName("PUBLISH_ERROR")] PublishError,
    [JsonStringEnumMemberName("SUBSCRIBE_ERROR")] SubscribeError,
    [JsonStringEnumMemberName("JOIN_ERROR")] JoinError,
    [JsonStringEnumMemberName("REPLICATION_STARTED")] ReplicationStarted,
    [JsonStringEnumMemberName("REPLICATION_STOPPED")] ReplicationStopped,
    [JsonStringEnumMemberName("TOKEN_EXCHANGED")] TokenExchanged,
}

public enum EventErrorCode
{
    [JsonStringEnumMemberName("INSUFFICIENT_CAPABILITIES")] InsufficientCapabilities,
    [JsonStringEnumMemberName("QUOTA_EXCEEDED")] QuotaExceeded,
    [JsonStringEnumMemberName("PUBLISHER_NOT_FOUND")] PublisherNotFound,
    [JsonStringEnumMemberName("BITRATE_EXCEEDED")] BitrateExceeded,
    [JsonStringEnumMemberName("RESOLUTION_EXCEEDED")] ResolutionExceeded,
    [JsonStringEnumMemberName("STREAM_DURATION_EXCEEDED")] StreamDurationExceeded,
    [JsonStringEnumMemberName("INVALID_AUDIO_CODEC")] InvalidAudioCodec,
    [JsonStringEnumMemberName("INVALID_VIDEO_CODEC")] InvalidVideoCodec,
    [JsonStringEnumMemberName("INVALID_PROTOCOL")] InvalidProtocol,
    [JsonStringEnumMemberName("INVALID_STREAM_KEY")] InvalidStreamKey,
    [JsonStringEnumMemberName("REUSE_OF_STREAM_KEY")] ReuseOfStreamKey,
    [JsonStringEnumMemberName("B_FRAME_PRESENT")] BFramePresent,
    [JsonStringEnumMemberName("INVALID_INPUT")] InvalidInput,
    [JsonStringEnumMemberName("INTERNAL_SERVER_EXCEPTION")] InternalServerException,
}
