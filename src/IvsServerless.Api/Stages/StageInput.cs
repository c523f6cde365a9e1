using System.Text.RegularExpressions;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Core.Stages;

namespace IvsServerless.Api.Stages;

/// <summary>Checks stage fields, collecting every field error at once so an app can show them together.</summary>
internal sealed partial class StageInput
{
    public const int MaxNameLength = 128;
    public const int MaxUserIdLength = 128;

    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    // The name becomes the IVS stage name, so it follows the IVS pattern.
    public string? Name(string? name, bool required)
    {
        if (name is null)
        {
            return required ? Add<string>("name", "Required.") : null;
        }

        return name.Length is 0 or > MaxNameLength || !NamePattern().IsMatch(name)
            ? Add<string>("name", $"1-{MaxNameLength} letters, digits, '-' or '_'.")
            : name;
    }

    public StageVisibility? Visibility(string? visibility, bool required) => visibility switch
    {
        null when required => Add<StageVisibility?>("visibility", "Required: \"public\" or \"private\"."),
        null => null,
        "public" => StageVisibility.Public,
        "private" => StageVisibility.Private,
        _ => Add<StageVisibility?>("visibility", "Must be \"public\" or \"private\"."),
    };

    public IReadOnlySet<string>? UserIds(string field, IReadOnlyList<string>? ids, int max, string ownerId)
    {
        if (ids is null)
        {
            return null;
        }

        if (ids.Count > max)
        {
            return Add<IReadOnlySet<string>>(field, $"At most {max} user ids.");
        }

        if (ids.Any(id => string.IsNullOrWhiteSpace(id) || id.Length > MaxUserIdLength))
        {
            return Add<IReadOnlySet<string>>(field, $"Each user id must be 1-{MaxUserIdLength} characters.");
        }

        if (ids.Contains(ownerId, StringComparer.Ordinal))
        {
            return Add<IReadOnlySet<string>>(field, "The owner cannot be listed.");
        }

        return ids.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// The recording the body asks for: (false, _) when absent, (true, null) for "off". Enums and bounds are the IVS model's
    /// (botocore ivs-realtime AutoParticipantRecordingConfiguration), so IVS never sees a value it would refuse.
    /// </summary>
    public (bool Given, StageRecording? Recording) Recording(RecordingBody? body)
    {
        if (body is null)
        {
            return (false, null);
        }

        var hasOptions = body.MediaTypes is not null || body.ThumbnailConfiguration is not null
            || body.RecordingReconnectWindowSeconds is not null || body.HlsConfiguration is not null;
        switch (body.Mode)
        {
            case "off" when hasOptions:
                return (true, Add<StageRecording>("recording", "Options go with mode \"individual\" only."));
            case "off":
                return (true, null);
            case "individual":
                break;
            default:
                return (true, Add<StageRecording>("recording.mode", "Required: \"off\" or \"individual\"."));
        }

        var defaults = new StageRecording();
        var mediaTypes = List("recording.mediaTypes", body.MediaTypes, StageRecording.MediaTypeValues, 1);
        var thumbnails = body.ThumbnailConfiguration;
        var mode = thumbnails?.RecordingMode is { } m
            ? OneOf("recording.thumbnailConfiguration.recordingMode", m, StageRecording.ThumbnailRecordingModeValues)
            : defaults.ThumbnailRecordingMode;
        var storage = List("recording.thumbnailConfiguration.storage", thumbnails?.Storage, StageRecording.ThumbnailStorageValues, 2);
        return (true, new StageRecording
        {
            MediaType = mediaTypes is [var mediaType] ? mediaType : defaults.MediaType,
            ThumbnailRecordingMode = mode ?? defaults.ThumbnailRecordingMode,
            ThumbnailTargetIntervalSeconds = Within("recording.thumbnailConfiguration.targetIntervalSeconds",
                thumbnails?.TargetIntervalSeconds, StageRecording.ThumbnailIntervalSecondsRange) ?? defaults.ThumbnailTargetIntervalSeconds,
            ThumbnailStorage = storage is { Count: > 0 } ? storage : defaults.ThumbnailStorage,
            RecordingReconnectWindowSeconds = Within("recording.recordingReconnectWindowSeconds", body.RecordingReconnectWindowSeconds,
                StageRecording.ReconnectWindowSecondsRange) ?? defaults.RecordingReconnectWindowSeconds,
            HlsTargetSegmentDurationSeconds = Within("recording.hlsConfiguration.targetSegmentDurationSeconds",
                body.HlsConfiguration?.TargetSegmentDurationSeconds, StageRecording.TargetSegmentDurationSecondsRange)
                ?? defaults.HlsTargetSegmentDurationSeconds,
        });
    }

    public void ThrowIfInvalid()
    {
        if (_errors.Count > 0)
        {
            throw new RequestValidationException("validation-failed", "The request has invalid fields.",
                _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal));
        }
    }

    private T? Add<T>(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var messages))
        {
            _errors[field] = messages = [];
        }

        messages.Add(message);
        return default;
    }

    private string? OneOf(string field, string value, IReadOnlyList<string> allowed) =>
        allowed.Contains(value, StringComparer.Ordinal) ? value : Add<string>(field, "One of " + string.Join(", ", allowed) + ".");

    private List<string>? List(string field, IReadOnlyList<string>? values, IReadOnlyList<string> allowed, int maxItems)
    {
        if (values is null)
        {
            return null;
        }

        if (values.Count > maxItems || values.Any(v => !allowed.Contains(v, StringComparer.Ordinal)))
        {
            return Add<List<string>>(field, $"At most {maxItems} of " + string.Join(", ", allowed) + ".");
        }

        return [.. values];
    }

    private int? Within(string field, int? value, (int Min, int Max) range) =>
        value is null || (value >= range.Min && value <= range.Max)
            ? value
            : Add<int?>(field, $"An integer from {range.Min} to {range.Max}.");

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
