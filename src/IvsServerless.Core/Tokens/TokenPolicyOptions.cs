namespace IvsServerless.Core.Tokens;

/// <summary>Limits of the token policy (configuration section <c>TokenPolicy</c>).</summary>
public sealed class TokenPolicyOptions
{
    /// <summary>IVS accepts at most 14 days (20,160 minutes).</summary>
    public static readonly TimeSpan IvsMaximumDuration = TimeSpan.FromMinutes(20160);

    /// <summary>
    /// A token's lifetime when the caller names none: one hour, not IVS's 12. Revocation (a ban, a removal from a private
    /// stage) disconnects the user's live participants at once, but a token minted earlier and never used still joins until
    /// it expires; the default bounds that window. Re-minting is cheap (no IVS call with self-signed tokens) and a joined
    /// participant refreshes its token by exchange (docs/tokens-and-keys.md#revocation-and-token-lifetime).
    /// </summary>
    public TimeSpan DefaultDuration { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The longest token a caller may ask for; at most <see cref="IvsMaximumDuration"/>.</summary>
    public TimeSpan MaxDuration { get; set; } = TimeSpan.FromHours(12);

    /// <summary>
    /// Caller-supplied attribute keys that reach the token; anything else is dropped. Never a reserved key
    /// (<see cref="TokenPolicy.ReservedAttributeKeys"/>: the server sets those).
    /// </summary>
    public IReadOnlyList<string> AllowedAttributeKeys { get; set; } = ["avatarUrl", "color"];

    public void Validate()
    {
        if (MaxDuration < TimeSpan.FromMinutes(1) || MaxDuration > IvsMaximumDuration)
        {
            throw new InvalidOperationException($"TokenPolicy:MaxDuration must be between 1 minute and 14 days, got {MaxDuration}.");
        }

        if (DefaultDuration < TimeSpan.FromMinutes(1) || DefaultDuration > MaxDuration)
        {
            throw new InvalidOperationException(
                $"TokenPolicy:DefaultDuration must be between 1 minute and MaxDuration ({MaxDuration}), got {DefaultDuration}.");
        }

        if (AllowedAttributeKeys.Any(
            k => string.IsNullOrWhiteSpace(k) || TokenPolicy.ReservedAttributeKeys.Contains(k, StringComparer.Ordinal)))
        {
            throw new InvalidOperationException(
                $"TokenPolicy:AllowedAttributeKeys must be non-empty and must not include the reserved "
                    + $"{string.Join(", ", TokenPolicy.ReservedAttributeKeys.Select(k => $"'{k}'"))}.");
        }
    }
}
