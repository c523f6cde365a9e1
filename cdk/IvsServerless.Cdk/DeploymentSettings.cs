using System.Collections;
using System.Globalization;
using System.Text.RegularExpressions;
using Amazon.CDK;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Cdk;

/// <summary>
/// What an operator chooses at deploy time, read from CDK context (<c>-c key=value</c> or cdk.json) and validated
/// before anything is synthesized: a bad value fails <c>cdk synth</c> naming the key.
/// </summary>
public sealed partial record DeploymentSettings
{
    /// <summary>OIDC issuer of the JWTs the API accepts; null: a Cognito user pool created by the stack.</summary>
    public string? JwtIssuer { get; init; }

    /// <summary>Accepted <c>aud</c> (or Cognito <c>client_id</c>) values; required with <see cref="JwtIssuer"/>.</summary>
    public IReadOnlyList<string> JwtAudiences { get; init; } = [];

    /// <summary>Browser origins allowed by CORS; empty: no CORS (native apps and servers need none).</summary>
    public IReadOnlyList<string> CorsAllowedOrigins { get; init; } = [];

    /// <summary>Stages with no participant for this long are deleted by the reconciler's sweep.</summary>
    public int IdleStageTimeoutMinutes { get; init; } = ReconcilerSettings.DefaultIdleStageMinutes;

    /// <summary>The reconciler's calls per second per IVS operation; lower it when other apps share the account's IVS quota.</summary>
    public int ReconcilerCallsPerSecond { get; init; } = ReconcilerSettings.MaxCallsPerSecond;

    /// <summary>Stages one user may own at once (the account holds 1,000 per region).</summary>
    public int StagesPerOwner { get; init; } = QuotaOptions.DefaultStagesPerOwner;

    /// <summary>Running compositions over one user's stages (the account runs 20 at once by default).</summary>
    public int ConcurrentCompositionsPerOwner { get; init; } = QuotaOptions.DefaultConcurrentCompositionsPerOwner;

    /// <summary>Participant tokens one user may get per minute.</summary>
    public int TokenMintsPerMinute { get; init; } = QuotaOptions.DefaultTokenMintsPerMinute;

    /// <summary>Ingest configurations (RTMP(S) encoders) one stage may have.</summary>
    public int IngestConfigurationsPerStage { get; init; } = QuotaOptions.DefaultIngestConfigurationsPerStage;

    /// <summary>The per-user limits as the API functions read them.</summary>
    public QuotaSettings Quotas => new()
    {
        StagesPerOwner = StagesPerOwner,
        ConcurrentCompositionsPerOwner = ConcurrentCompositionsPerOwner,
        TokenMintsPerMinute = TokenMintsPerMinute,
        IngestConfigurationsPerStage = IngestConfigurationsPerStage,
    };

    /// <summary>Upper bound on participant token lifetime (IVS allows at most 20160 minutes, 14 days).</summary>
    public int TokenMaxDurationMinutes { get; init; } = TokenSettings.DefaultMaxDurationMinutes;

    /// <summary>An existing S3 bucket (same region) where compositions record; null: no storage configuration.</summary>
    public string? CompositionBucketName { get; init; }

    /// <summary>An existing IVS (low-latency) channel compositions broadcast to; null: no broadcast.</summary>
    public string? CompositionChannelArn { get; init; }

    /// <summary>Tagged on every IVS resource the functions create, so sweeps touch only this deployment's stages.</summary>
    public string DeploymentTag { get; init; } = "ivs-serverless";

    /// <summary>RETAIN (default) keeps the table and user pool when the stack is deleted; DESTROY removes them.</summary>
    public RemovalPolicy RemovalPolicy { get; init; } = RemovalPolicy.RETAIN;

    /// <summary>x86_64 (default) or arm64: must match the runtime identifier the bootstrap was published for.</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary>Steady-state requests per second and burst for the whole API (stage default route settings).</summary>
    public int ApiRateLimit { get; init; } = 100;

    public int ApiBurstLimit { get; init; } = 200;

    /// <summary>Whether anyone may sign up to the created user pool; off by default (admins create users).</summary>
    public bool AllowSelfSignUp { get; init; }

    /// <summary><c>api</c> (IVS CreateParticipantToken) or <c>self-signed</c> (tokens signed by the tokens function with a rotated
    /// key).</summary>
    public TokenMintingMode TokenMode { get; init; }

    public bool SelfSignedTokens => TokenMode == TokenMintingMode.SelfSigned;

    /// <summary>The CloudFormation stack name; also names the signing-key parameter
    /// (<c>/&lt;stack&gt;/participant-token-signing-key</c>).</summary>
    public string StackName { get; init; } = "IvsServerless";

    /// <summary>Optional address subscribed to the alarm topic.</summary>
    public string? AlarmEmail { get; init; }

    /// <summary>Days after which the recordings bucket expires objects (IVS recordings and their thumbnails).</summary>
    public int RecordingExpirationDays { get; init; } = 30;

    /// <summary>How long playback and thumbnail URLs work (<c>RECORDING_PLAYBACK_URL_MINUTES</c>).</summary>
    public int RecordingPlaybackUrlMinutes { get; init; } = RecordingSettings.DefaultPlaybackUrlMinutes;

    /// <summary>How IVS events reach <c>ivs-events</c> (<c>batched</c> or <c>immediate</c>; see <see cref="EventDelivery"/>).</summary>
    public EventDelivery EventDelivery { get; init; }

    /// <summary>The context keys, documented in docs/deploy.md (a test checks each is).</summary>
    public static IReadOnlyList<string> ContextKeys { get; } =
    [
        "jwtIssuer", "jwtAudience", "corsAllowedOrigins", "idleStageTimeoutMinutes", "reconcilerCallsPerSecond", "tokenMaxDurationMinutes",
        "compositionBucketName", "compositionChannelArn", "deploymentTag", "removalPolicy", "architecture", "apiRateLimit", "apiBurstLimit",
        "allowSelfSignUp", "alarmEmail", "tokenMode", "stackName", "recordingExpirationDays", "recordingPlaybackUrlMinutes",
        "eventDelivery",
    ];

    /// <summary>Reads and validates every setting; all problems are reported together.</summary>
    public static DeploymentSettings FromContext(Func<string, object?> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var errors = new List<string>();
        var defaults = new DeploymentSettings();

        string? Text(string key) => context(key) switch
        {
            null => null,
            string s when string.IsNullOrWhiteSpace(s) => null,
            string s => s.Trim(),
            IEnumerable list => string.Join(',', list.Cast<object?>().Select(v => Convert.ToString(v, CultureInfo.InvariantCulture))),
            var other => Convert.ToString(other, CultureInfo.InvariantCulture),
        };

        IReadOnlyList<string> List(string key) =>
            Text(key)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];

        int Number(string key, int fallback, int min, int max)
        {
            var text = Text(key);
            if (text is null)
            {
                return fallback;
            }

            if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
            {
                errors.Add($"{key} must be a whole number from {min} to {max}");
                return fallback;
            }

            return value;
        }

        string? Matching(string key, Regex pattern, string what)
        {
            var text = Text(key);
            if (text is not null && !pattern.IsMatch(text))
            {
                errors.Add($"{key} must be {what}");
                return null;
            }

            return text;
        }

        var issuer = Text("jwtIssuer");
        var audiences = List("jwtAudience");
        if (issuer is not null && (!Uri.TryCreate(issuer, UriKind.Absolute, out var issuerUrl) || issuerUrl.Scheme != "https"))
        {
            errors.Add("jwtIssuer must be an absolute https URL (the OIDC issuer)");
        }

        if ((issuer is null) != (audiences.Count == 0))
        {
            errors.Add("jwtIssuer and jwtAudience go together (neither: a Cognito user pool is created)");
        }

        var origins = List("corsAllowedOrigins");
        foreach (var origin in origins)
        {
            if (origin != "*" && (!Uri.TryCreate(origin, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")
                || url.AbsolutePath != "/" || origin.EndsWith('/')))
            {
                errors.Add($"corsAllowedOrigins: '{origin}' is not an origin (scheme://host[:port])");
            }
        }

        var removal = Text("removalPolicy")?.ToUpperInvariant() switch
        {
            null or "RETAIN" => RemovalPolicy.RETAIN,
            "DESTROY" => RemovalPolicy.DESTROY,
            _ => Invalid("removalPolicy must be retain or destroy", RemovalPolicy.RETAIN),
        };

        var architecture = Text("architecture")?.ToLowerInvariant() switch
        {
            null or "x86_64" => "x86_64",
            "arm64" => "arm64",
            _ => Invalid("architecture must be x86_64 or arm64", "x86_64"),
        };

        var selfSignUp = Text("allowSelfSignUp")?.ToLowerInvariant() switch
        {
            null or "false" => false,
            "true" => true,
            _ => Invalid("allowSelfSignUp must be true or false", false),
        };

        if (!EventDeliveries.TryParse(Text("eventDelivery")?.ToLowerInvariant() ?? EventDeliveries.Batched, out var eventDelivery))
        {
            errors.Add($"eventDelivery must be {EventDeliveries.Batched} or {EventDeliveries.Immediate}");
        }

        // Self-signed by default: no IVS call (nor its 50 TPS account quota) per token, and only these tokens can be exchanged.
        if (!TokenMintingModes.TryParse(Text("tokenMode")?.ToLowerInvariant() ?? TokenMintingModes.SelfSigned, out var tokenMode))
        {
            errors.Add($"tokenMode must be {TokenMintingModes.Api} or {TokenMintingModes.SelfSigned}");
        }

        var settings = new DeploymentSettings
        {
            JwtIssuer = issuer,
            JwtAudiences = audiences,
            CorsAllowedOrigins = origins,
            IdleStageTimeoutMinutes = Number(
                "idleStageTimeoutMinutes", defaults.IdleStageTimeoutMinutes, ReconcilerSettings.MinIdleStageMinutes,
                ReconcilerSettings.MaxIdleStageMinutes),
            ReconcilerCallsPerSecond = Number(
                "reconcilerCallsPerSecond", defaults.ReconcilerCallsPerSecond, 1, ReconcilerSettings.MaxCallsPerSecond),
            StagesPerOwner = Number("stagesPerOwner", defaults.StagesPerOwner, 1, QuotaSettings.MaxStagesPerOwner),
            ConcurrentCompositionsPerOwner = Number(
                "concurrentCompositionsPerOwner", defaults.ConcurrentCompositionsPerOwner, 1,
                QuotaSettings.MaxConcurrentCompositionsPerOwner),
            TokenMintsPerMinute = Number("tokenMintsPerMinute", defaults.TokenMintsPerMinute, 1, QuotaSettings.MaxTokenMintsPerMinute),
            IngestConfigurationsPerStage = Number(
                "ingestConfigurationsPerStage", defaults.IngestConfigurationsPerStage, 1, QuotaOptions.MaxIngestConfigurationsPerStage),
            TokenMaxDurationMinutes = Number(
                "tokenMaxDurationMinutes", defaults.TokenMaxDurationMinutes, 1, TokenSettings.IvsMaximumDurationMinutes),
            CompositionBucketName = Matching("compositionBucketName", BucketName(), "an S3 bucket name"),
            CompositionChannelArn = Matching(
                "compositionChannelArn", ChannelArn(), "an IVS channel ARN (arn:aws:ivs:<region>:<account>:channel/<id>)"),
            DeploymentTag = Matching("deploymentTag", Tag(), "1-128 letters, digits, spaces or _.:/=+-@") ?? defaults.DeploymentTag,
            RemovalPolicy = removal,
            Architecture = architecture,
            ApiRateLimit = Number("apiRateLimit", defaults.ApiRateLimit, 1, 10000),
            ApiBurstLimit = Number("apiBurstLimit", defaults.ApiBurstLimit, 1, 5000),
            AllowSelfSignUp = selfSignUp,
            TokenMode = tokenMode,
            EventDelivery = eventDelivery,
            StackName = Matching(
                "stackName", StackNamePattern(), "a CloudFormation stack name (a letter, then letters, digits or -; at most 128)")
                ?? defaults.StackName,
            AlarmEmail = Matching("alarmEmail", Email(), "an email address"),
            RecordingExpirationDays = Number("recordingExpirationDays", defaults.RecordingExpirationDays, 1, 3650),
            RecordingPlaybackUrlMinutes = Number(
                "recordingPlaybackUrlMinutes", defaults.RecordingPlaybackUrlMinutes, 1, RecordingSettings.MaxPlaybackUrlMinutes),
        };

        return errors.Count == 0
            ? settings
            : throw new ArgumentException("Invalid CDK context: " + string.Join("; ", errors) + ".");

        T Invalid<T>(string error, T fallback)
        {
            errors.Add(error);
            return fallback;
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();

    [GeneratedRegex(@"^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$")]
    private static partial Regex Tag();

    [GeneratedRegex("^arn:aws[a-z-]*:ivs:[a-z0-9-]+:[0-9]{12}:channel/[a-zA-Z0-9]+$")]
    private static partial Regex ChannelArn();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9-]{0,127}$")]
    private static partial Regex StackNamePattern();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s]+$")]
    private static partial Regex Email();
}
