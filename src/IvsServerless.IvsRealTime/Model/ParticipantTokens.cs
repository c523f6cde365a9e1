using System.Text;

namespace IvsServerless.IvsRealTime;

public sealed record CreateParticipantTokenRequest
{
    public required string StageArn { get; init; }

    /// <summary>Minutes; IVS defaults to 720.</summary>
    public int? Duration { get; init; }

    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public IReadOnlyList<ParticipantTokenCapability>? Capabilities { get; init; }
}

public sealed record CreateParticipantTokenResponse
{
    public ParticipantToken? ParticipantToken { get; init; }
}

public sealed record ParticipantToken
{
    public string? ParticipantId { get; init; }

    /// <summary>Opaque bearer secret for the stage; never log it.</summary>
    public string? Token { get; init; }

    public string? UserId { get; init; }
    public IReadOnlyDictionary<string, string>? Attributes { get; init; }
    public int? Duration { get; init; }
    public IReadOnlyList<ParticipantTokenCapability>? Capabilities { get; init; }
    public DateTimeOffset? ExpirationTime { get; init; }

    // A record prints every member in ToString(); keep the bearer token out of logs and exception messages.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("ParticipantId = ").Append(ParticipantId)
            .Append(", Token = ").Append(Token is null ? "null" : "***")
            .Append(", UserId = ").Append(UserId)
            .Append(", Duration = ").Append(Duration)
            .Append(", ExpirationTime = ").Append(ExpirationTime?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return true;
    }
}

public sealed record DisconnectParticipantRequest
{
    public required string StageArn { get; init; }
    public required string ParticipantId { get; init; }
    public string? Reason { get; init; }
}

public sealed record DisconnectParticipantResponse;
