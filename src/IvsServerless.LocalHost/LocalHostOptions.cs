using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;
using IvsServerless.LocalHost.Live;

namespace IvsServerless.LocalHost;

/// <summary>How <see cref="LocalHost.StartAsync"/> starts the local system. A port of 0 picks a free port.</summary>
public sealed record LocalHostOptions
{
    public const int DefaultApiPort = 3000;
    public const int DefaultConsolePort = 3001;
    public const int DefaultEmulatorPort = 4566;
    public const int DefaultDynamoDbPort = 8000;
    public const int DefaultLivePort = 3002;

    /// <summary>The local S3 server takes a free port unless told otherwise (its clients get the URL from the host).</summary>
    public const int DefaultS3Port = 0;

    /// <summary>The recordings bucket, made in the local S3 server at start; the emulator's storage configuration names it.</summary>
    public const string RecordingsBucket = "ivs-serverless-local-recordings";

    /// <summary>The API front (HTTP API stand-in).</summary>
    public int ApiPort { get; init; } = DefaultApiPort;

    /// <summary>The web console, its <c>/config.json</c>, the dev OIDC issuer and the <c>/_sim/</c> proxy.</summary>
    public int ConsolePort { get; init; } = DefaultConsolePort;

    /// <summary>The IVS real-time emulator (AWS API and <c>/_sim/</c>).</summary>
    public int EmulatorPort { get; init; } = DefaultEmulatorPort;

    /// <summary>The live-updates WebSocket endpoint and its <c>@connections</c> management API.</summary>
    public int LivePort { get; init; } = DefaultLivePort;

    /// <summary>How long the live front keeps a WebSocket connection at most (API Gateway: 2 hours), then closes it (1001).</summary>
    public TimeSpan LiveMaxConnectionDuration { get; init; } = LiveFrontLimits.ApiGateway.MaxConnectionDuration;

    /// <summary>How long the live front keeps a connection its client sent nothing on (API Gateway: 10 minutes).</summary>
    public TimeSpan LiveIdleTimeout { get; init; } = LiveFrontLimits.ApiGateway.IdleTimeout;

    /// <summary>DynamoDB Local, when <see cref="StartDynamoDbLocal"/>.</summary>
    public int DynamoDbPort { get; init; } = DefaultDynamoDbPort;

    /// <summary>The local S3 server (recordings): 127.0.0.1 only, SigV4 checked.</summary>
    public int S3Port { get; init; } = DefaultS3Port;

    /// <summary>Start DynamoDB Local (Java child process); false uses <see cref="DynamoDbEndpoint"/>.</summary>
    public bool StartDynamoDbLocal { get; init; } = true;

    /// <summary>An already running DynamoDB (Local) to use instead of starting one.</summary>
    public Uri? DynamoDbEndpoint { get; init; }

    /// <summary>The table the functions use; created at start if missing.</summary>
    public string TableName { get; init; } = "ivs-serverless-local";

    /// <summary>How often the reconciler runs (an EventBridge schedule in AWS).</summary>
    public TimeSpan ReconcilerInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The clock of the emulator, the issuer, the authorizer, the schedule and the functions.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    public string Region { get; init; } = "us-east-1";

    /// <summary>The audience of dev tokens and the one the API front's authorizer accepts.</summary>
    public string Audience { get; init; } = "ivs-serverless-local";

    /// <summary>Lifetime of tokens from <c>POST /dev/token</c>.</summary>
    public TimeSpan DevTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How participant tokens are minted: self-signed (default, as in <c>cdk deploy</c>: the key in an in-memory store,
    /// rotated by the key-rotation function, verified by the emulator against the imported public key) or the IVS API.
    /// </summary>
    public TokenMintingMode TokenMode { get; init; } = TokenMintingMode.SelfSigned;

    /// <summary>Where the functions write their JSON log lines (Lambda's stdout); null discards them.</summary>
    public Stream? FunctionLog { get; init; }

    /// <summary>
    /// How long an event a function failed on waits before it is delivered again: null (the default) is what AWS does,
    /// the queue's visibility timeout from the contract (six times the function's timeout) or Lambda's asynchronous retry
    /// schedule; tests that want failed events back quickly set it.
    /// </summary>
    public TimeSpan? EventRetryDelay { get; init; }

    /// <summary>How the IVS events' queue hands them to ivs-events, as the <c>eventDelivery</c> deployment setting does.</summary>
    public EventDelivery EventDelivery { get; init; }

    /// <summary>Every port set to 0: what tests use.</summary>
    public static LocalHostOptions OnFreePorts(TimeProvider? time = null) => new()
    {
        ApiPort = 0,
        ConsolePort = 0,
        EmulatorPort = 0,
        DynamoDbPort = 0,
        LivePort = 0,
        S3Port = 0,
        TimeProvider = time ?? TimeProvider.System,
    };

    /// <summary>Free ports, on a DynamoDB that is already running (no JVM of its own), in a table of its own.</summary>
    public static LocalHostOptions OnFreePorts(Uri dynamoDbEndpoint, string tableName, TimeProvider? time = null) => OnFreePorts(time) with
    {
        StartDynamoDbLocal = false,
        DynamoDbEndpoint = dynamoDbEndpoint,
        TableName = tableName,
    };

    /// <summary>Throws <see cref="ArgumentException"/> naming every bad setting.</summary>
    public void Validate()
    {
        var errors = new List<string>();
        foreach (var (name, port) in Ports())
        {
            if (port is < 0 or > 65535)
            {
                errors.Add($"{name} port must be 0-65535 (was {port})");
            }
        }

        var fixedPorts = Ports().Where(p => p.Port != 0 && (p.Name != "DynamoDB Local" || StartDynamoDbLocal)).ToList();
        foreach (var clash in fixedPorts.GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            errors.Add($"{string.Join(" and ", clash.Select(p => p.Name))} cannot share port {clash.Key}");
        }

        if (!StartDynamoDbLocal && DynamoDbEndpoint is null)
        {
            errors.Add("DynamoDbEndpoint is required when StartDynamoDbLocal is false");
        }

        if (string.IsNullOrWhiteSpace(TableName))
        {
            errors.Add("TableName is required");
        }

        if (ReconcilerInterval <= TimeSpan.Zero)
        {
            errors.Add("ReconcilerInterval must be positive");
        }

        if (LiveMaxConnectionDuration <= TimeSpan.Zero || LiveIdleTimeout <= TimeSpan.Zero)
        {
            errors.Add("LiveMaxConnectionDuration and LiveIdleTimeout must be positive");
        }

        if (DevTokenLifetime <= TimeSpan.Zero)
        {
            errors.Add("DevTokenLifetime must be positive");
        }

        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid local host options: " + string.Join("; ", errors) + ".");
        }
    }

    internal IEnumerable<(string Name, int Port)> Ports() =>
    [
        ("API front", ApiPort),
        ("console", ConsolePort),
        ("IVS emulator", EmulatorPort),
        ("DynamoDB Local", DynamoDbPort),
        ("live updates", LivePort),
        ("local S3", S3Port),
    ];
}
