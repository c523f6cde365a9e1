using System.Text.RegularExpressions;
using IvsServerless.Api.Errors;

namespace IvsServerless.Api.HttpApi;

/// <summary>Path ids are checked against the IVS id formats before any I/O, so junk never reaches a store.</summary>
public static partial class PathIds
{
    public static string StageId(ApiCall call) => Check(call, "stageId", TwelveAlphanumerics(), "A stage id is 12 letters or digits.");

    public static string ParticipantId(ApiCall call) =>
        Check(call, "participantId", ParticipantIdPattern(), "A participant id is 1-64 letters, digits or '-'.");

    public static string CompositionId(ApiCall call) =>
        Check(call, "compositionId", TwelveAlphanumerics(), "A composition id is 12 letters or digits.");

    public static string SessionId(ApiCall call) =>
        Check(call, "sessionId", SessionIdPattern(), "A session id is 'st-' and 1-64 letters or digits.");

    public static string IngestConfigurationId(ApiCall call) =>
        Check(call, "ingestConfigurationId", ParticipantIdPattern(), "An ingest configuration id is 1-64 letters, digits or '-'.");

    /// <summary>
    /// A recording id: <c>&lt;sessionId&gt;~&lt;participantId&gt;</c> or <c>&lt;sessionId&gt;~composition~&lt;compositionId&gt;</c>.
    /// </summary>
    public static string RecordingId(ApiCall call) =>
        Check(call, "recordingId", RecordingIdPattern(),
            "A recording id is a session id, '~' and a participant id, or a session id, '~composition~' and a composition id.");

    /// <summary>A user id as the path carries it (URL-decoded by API Gateway): 1-128 characters, no control characters.</summary>
    public static string UserId(ApiCall call) =>
        Check(call, "userId", UserIdPattern(), "A user id is 1-128 characters without control characters.");

    private static string Check(ApiCall call, string name, Regex pattern, string message)
    {
        ArgumentNullException.ThrowIfNull(call);
        var value = call.PathParameters.TryGetValue(name, out var v) ? v : "";
        return pattern.IsMatch(value)
            ? value
            : throw new RequestValidationException("invalid-path-parameter", $"The path parameter '{name}' is not valid.",
                new Dictionary<string, string[]> { [name] = [message] });
    }

    [GeneratedRegex("^[a-zA-Z0-9]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex TwelveAlphanumerics();

    [GeneratedRegex("^[a-zA-Z0-9-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex ParticipantIdPattern();

    [GeneratedRegex(@"^[^\p{C}]{1,128}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserIdPattern();

    [GeneratedRegex("^st-[a-zA-Z0-9]{1,64}~([a-zA-Z0-9-]{1,64}|composition~[a-zA-Z0-9]{12})$", RegexOptions.CultureInvariant)]
    private static partial Regex RecordingIdPattern();

    [GeneratedRegex("^st-[a-zA-Z0-9]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SessionIdPattern();
}
