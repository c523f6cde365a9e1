namespace IvsServerless.Api.Errors;

/// <summary>RFC 9457 problem details plus this API's stable <c>code</c> and, for 400, field errors.</summary>
public sealed record Problem(
    string Type,
    string Title,
    int Status,
    string Detail,
    string? Instance,
    string Code,
    IReadOnlyDictionary<string, string[]>? Errors = null);
