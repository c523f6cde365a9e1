using System.Text;
using IvsServerless.Core.Stages;

namespace IvsServerless.Core.Tokens;

/// <summary>The signed-in caller, from the JWT the API authorizer validated.</summary>
public sealed record Caller(string UserId, string? DisplayName);

/// <summary>What a caller asks for; every member optional (null = the policy's default).</summary>
public sealed record TokenRequest(
    ParticipantCapabilities? Capabilities = null,
    TimeSpan? Duration = null,
    IReadOnlyDictionary<string, string>? Attributes = null);

/// <summary>A granted token's exact contents, identical whichever way the token is then minted.</summary>
public sealed record TokenGrant(
    string UserId, ParticipantCapabilities Capabilities, TimeSpan Duration, IReadOnlyDictionary<string, string> Attributes);

public enum TokenDenial
{
    StageNotFound,
    NotAllowedToJoin,
    CapabilityNotAllowed,
    InvalidDuration,
    AttributesTooLarge,

    /// <summary>The owner banned the caller from the stage.</summary>
    Banned,

    /// <summary>The caller asked to set an attribute the server owns (<see cref="TokenPolicy.ReservedAttributeKeys"/>).</summary>
    ReservedAttribute,
}

/// <param name="Field">The request field the denial is about, when it is one (e.g. <c>attributes.role</c>).</param>
public sealed record TokenDecision(TokenGrant? Grant, TokenDenial? Denial, string? Reason, string? Field = null)
{
    public static TokenDecision Granted(TokenGrant grant) => new(grant, null, null);

    public static TokenDecision Denied(TokenDenial denial, string reason, string? field = null) => new(null, denial, reason, field);
}

/// <summary>
/// Who gets which participant token. Owner and co-hosts may publish and subscribe; everyone else who may
/// see the stage may only subscribe. A caller may ask for less than their role allows, never more.
/// The user id is always the caller's own (the JWT <c>sub</c>); attributes are the display name from the
/// claims and the caller's role on the stage (both set by the server; asking to set either is refused), plus the
/// caller's own attributes filtered to an allow-list, at most 1 KB as IVS requires.
/// </summary>
public sealed class TokenPolicy(TokenPolicyOptions options)
{
    public const string DisplayNameAttribute = "displayName";

    /// <summary>The caller's role on the stage: <c>owner</c>, <c>co-host</c> or <c>viewer</c> (everyone else).</summary>
    public const string RoleAttribute = "role";

    public const int MaxAttributesBytes = 1024;

    /// <summary>Attribute keys only the server sets: every participant sees them signed into the token, so no caller may choose
    /// them.</summary>
    public static readonly IReadOnlyList<string> ReservedAttributeKeys = [DisplayNameAttribute, RoleAttribute];

    public TokenDecision Decide(Stage? stage, Caller caller, TokenRequest request)
    {
        if (stage is null || stage.Deleted)
        {
            return TokenDecision.Denied(TokenDenial.StageNotFound, "The stage does not exist.");
        }

        if (stage.IsBanned(caller.UserId))
        {
            return TokenDecision.Denied(TokenDenial.Banned, "The stage owner banned you from this stage.");
        }

        if (!stage.IsVisibleTo(caller.UserId))
        {
            // Private stages are not disclosed to outsiders: same answer as a missing stage.
            return TokenDecision.Denied(TokenDenial.StageNotFound, "The stage does not exist.");
        }

        if (request.Attributes?.Keys.FirstOrDefault(k => ReservedAttributeKeys.Contains(k, StringComparer.Ordinal)) is { } reserved)
        {
            return TokenDecision.Denied(TokenDenial.ReservedAttribute,
                $"The attribute '{reserved}' is set by the server and cannot be requested.", "attributes." + reserved);
        }

        var role = stage.RoleOf(caller.UserId);
        var allowed = AllowedCapabilities(role);
        var requested = request.Capabilities ?? allowed;
        if (requested == ParticipantCapabilities.None)
        {
            return TokenDecision.Denied(TokenDenial.CapabilityNotAllowed, "At least one capability is required.");
        }

        if ((requested & ~allowed) != 0)
        {
            return TokenDecision.Denied(TokenDenial.CapabilityNotAllowed,
                $"Your role on this stage allows only {Describe(allowed)}.");
        }

        var duration = request.Duration ?? options.DefaultDuration;
        if (duration < TimeSpan.FromMinutes(1) || duration > options.MaxDuration)
        {
            return TokenDecision.Denied(TokenDenial.InvalidDuration,
                $"The duration must be between 1 and {(int)options.MaxDuration.TotalMinutes} minutes.");
        }

        var attributes = Attributes(caller, role, request.Attributes);
        if (attributes.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + Encoding.UTF8.GetByteCount(a.Value)) > MaxAttributesBytes)
        {
            return TokenDecision.Denied(TokenDenial.AttributesTooLarge, $"Token attributes must total at most {MaxAttributesBytes} bytes.");
        }

        return TokenDecision.Granted(
            new TokenGrant(caller.UserId, requested, TimeSpan.FromMinutes(Math.Floor(duration.TotalMinutes)), attributes));
    }

    public static ParticipantCapabilities AllowedCapabilities(StageRole role) => role switch
    {
        StageRole.Owner or StageRole.CoHost => ParticipantCapabilities.PublishAndSubscribe,
        _ => ParticipantCapabilities.Subscribe,
    };

    public static string RoleName(StageRole role) => role switch
    {
        StageRole.Owner => "owner",
        StageRole.CoHost => "co-host",
        _ => "viewer",
    };

    private Dictionary<string, string> Attributes(Caller caller, StageRole role, IReadOnlyDictionary<string, string>? requested)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in options.AllowedAttributeKeys)
        {
            if (requested is not null && requested.TryGetValue(key, out var value))
            {
                attributes[key] = value;
            }
        }

        // Set last (reserved keys are refused above, and cannot be configured as allowed): never the caller's choice.
        if (!string.IsNullOrWhiteSpace(caller.DisplayName))
        {
            attributes[DisplayNameAttribute] = caller.DisplayName;
        }

        attributes[RoleAttribute] = RoleName(role);

        return attributes;
    }

    private static string Describe(ParticipantCapabilities capabilities) => capabilities switch
    {
        ParticipantCapabilities.PublishAndSubscribe => "PUBLISH and SUBSCRIBE",
        ParticipantCapabilities.Publish => "PUBLISH",
        _ => "SUBSCRIBE",
    };
}
