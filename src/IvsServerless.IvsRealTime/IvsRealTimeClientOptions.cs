using System.Text.RegularExpressions;

namespace IvsServerless.IvsRealTime;

/// <summary>Where and how <see cref="IvsRealTimeClient"/> talks to IVS Real-Time.</summary>
public sealed partial record IvsRealTimeClientOptions
{
    /// <summary>The AWS region to call and to sign for, e.g. "us-east-1".</summary>
    public required string Region { get; init; }

    /// <summary>Endpoint override (e.g. the local emulator); null means the public regional endpoint.</summary>
    public string? ServiceUrl { get; init; }

    /// <summary>Total attempts per call, the first included; 1 turns retries off.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The backoff ceiling before the first retry; it doubles per retry up to <see cref="MaxDelay"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Throws <see cref="ArgumentException"/> naming every invalid setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Region) || !RegionName().IsMatch(Region))
        {
            errors.Add($"Region '{Region}' is not a region name like 'us-east-1'.");
        }

        if (ServiceUrl is not null
            && (!Uri.TryCreate(ServiceUrl, UriKind.Absolute, out var url)
                || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)
                || url.Query.Length > 0 || url.Fragment.Length > 0))
        {
            errors.Add($"ServiceUrl '{ServiceUrl}' is not an absolute http(s) URL without query or fragment.");
        }

        if (MaxAttempts < 1)
        {
            errors.Add($"MaxAttempts must be at least 1 (was {MaxAttempts}).");
        }

        if (BaseDelay < TimeSpan.Zero)
        {
            errors.Add($"BaseDelay must not be negative (was {BaseDelay}).");
        }

        if (MaxDelay < BaseDelay)
        {
            errors.Add($"MaxDelay ({MaxDelay}) must not be shorter than BaseDelay ({BaseDelay}).");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid IvsRealTimeClientOptions: " + string.Join(" ", errors));
        }
    }

    /// <summary>The endpoint the client calls: <see cref="ServiceUrl"/>, or https://ivsrealtime.{region}.amazonaws.com.</summary>
    public Uri ResolveServiceUrl() =>
        new(
            ServiceUrl
            ?? $"https://ivsrealtime.{Region}."
            + $"{(Region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com")}");

    // Lower-case DNS labels, because the region becomes part of the default host name.
    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex RegionName();
}
