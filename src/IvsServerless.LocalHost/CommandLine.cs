using System.Globalization;
using IvsServerless.Core.Tokens;
using IvsServerless.Deployment.Functions;

namespace IvsServerless.LocalHost;

/// <summary>The command line of the local host: flags, then environment variables, then defaults.</summary>
public static class CommandLine
{
    public const string Usage = """
        Usage: dotnet run --project src/IvsServerless.LocalHost [-- options]

          --api-port N              API front (HTTP API + JWT authorizer)      env IVS_LOCAL_API_PORT       default 3000
          --console-port N          console, dev OIDC issuer, /_sim/ proxy     env IVS_LOCAL_CONSOLE_PORT   default 3001
          --emulator-port N         IVS real-time emulator                     env IVS_LOCAL_EMULATOR_PORT  default 4566
          --dynamodb-port N         DynamoDB Local                             env IVS_LOCAL_DYNAMODB_PORT  default 8000
          --live-port N             live updates (WebSocket, @connections)     env IVS_LOCAL_LIVE_PORT      default 3002
          --s3-port N               local S3 server (recordings)               env IVS_LOCAL_S3_PORT        default 0 (free)
          --dynamodb-endpoint URL   use a running DynamoDB (Local) instead     env IVS_LOCAL_DYNAMODB_ENDPOINT
          --table-name NAME         the functions' table                       env IVS_LOCAL_TABLE_NAME     default ivs-serverless-local
          --reconciler-seconds N    reconciler schedule                        env IVS_LOCAL_RECONCILER_SECONDS default 10
          --token-mode MODE         self-signed or api (participant tokens)    env IVS_LOCAL_TOKEN_MODE     default self-signed
          --event-delivery MODE     batched or immediate (IVS events queue)    env IVS_LOCAL_EVENT_DELIVERY default batched
          --help                    this text

        A port of 0 picks a free port.
        """;

    private static readonly (string Flag, string Variable)[] Settings =
    [
        ("--api-port", "IVS_LOCAL_API_PORT"),
        ("--console-port", "IVS_LOCAL_CONSOLE_PORT"),
        ("--emulator-port", "IVS_LOCAL_EMULATOR_PORT"),
        ("--dynamodb-port", "IVS_LOCAL_DYNAMODB_PORT"),
        ("--live-port", "IVS_LOCAL_LIVE_PORT"),
        ("--s3-port", "IVS_LOCAL_S3_PORT"),
        ("--dynamodb-endpoint", "IVS_LOCAL_DYNAMODB_ENDPOINT"),
        ("--table-name", "IVS_LOCAL_TABLE_NAME"),
        ("--reconciler-seconds", "IVS_LOCAL_RECONCILER_SECONDS"),
        ("--token-mode", "IVS_LOCAL_TOKEN_MODE"),
        ("--event-delivery", "IVS_LOCAL_EVENT_DELIVERY"),
    ];

    /// <returns>The options, or an error (one line) to print with the usage; <c>Help</c> when --help was asked for.</returns>
    public static (LocalHostOptions? Options, string? Error, bool Help) Parse(IReadOnlyList<string> args, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return (null, null, true);
            }

            var (flag, value) = arg.Split('=', 2) is [var f, var v] ? (f, v) : (arg, null);
            if (!Settings.Any(s => s.Flag == flag))
            {
                return (null, $"Unknown option '{arg}'.", false);
            }

            if (value is null)
            {
                if (i + 1 >= args.Count)
                {
                    return (null, $"{flag} needs a value.", false);
                }

                value = args[++i];
            }

            given[flag] = value;
        }

        string? Setting(string flag) =>
            given.TryGetValue(flag, out var value) ? value : environment(
                Settings.First(s => s.Flag == flag).Variable) is { Length: > 0 } env ? env : null;

        var errors = new List<string>();
        int Port(string flag, int fallback)
        {
            var text = Setting(flag);
            if (text is null)
            {
                return fallback;
            }

            if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= 65535)
            {
                return port;
            }

            errors.Add($"{flag} must be a port number 0-65535 (got '{text}').");
            return fallback;
        }

        Uri? endpoint = null;
        if (Setting("--dynamodb-endpoint") is { } endpointText
            && (!Uri.TryCreate(endpointText, UriKind.Absolute, out endpoint) || endpoint.Scheme is not ("http" or "https")))
        {
            errors.Add($"--dynamodb-endpoint must be an http(s) URL (got '{endpointText}').");
            endpoint = null;
        }

        var reconcilerSeconds = 10;
        if (Setting("--reconciler-seconds") is { } secondsText
            && (
                !int.TryParse(secondsText, NumberStyles.None, CultureInfo.InvariantCulture, out reconcilerSeconds)
                || reconcilerSeconds < 1))
        {
            errors.Add($"--reconciler-seconds must be a whole number ≥ 1 (got '{secondsText}').");
        }

        var tokenMode = TokenMintingMode.SelfSigned;
        if (Setting("--token-mode") is { } modeText && !TokenMintingModes.TryParse(modeText, out tokenMode))
        {
            errors.Add($"--token-mode must be {TokenMintingModes.SelfSigned} or {TokenMintingModes.Api} (got '{modeText}').");
        }

        var eventDelivery = EventDelivery.Batched;
        if (Setting("--event-delivery") is { } deliveryText && !EventDeliveries.TryParse(deliveryText, out eventDelivery))
        {
            errors.Add($"--event-delivery must be {EventDeliveries.Batched} or {EventDeliveries.Immediate} (got '{deliveryText}').");
        }

        var options = new LocalHostOptions
        {
            ApiPort = Port("--api-port", LocalHostOptions.DefaultApiPort),
            ConsolePort = Port("--console-port", LocalHostOptions.DefaultConsolePort),
            EmulatorPort = Port("--emulator-port", LocalHostOptions.DefaultEmulatorPort),
            DynamoDbPort = Port("--dynamodb-port", LocalHostOptions.DefaultDynamoDbPort),
            LivePort = Port("--live-port", LocalHostOptions.DefaultLivePort),
            S3Port = Port("--s3-port", LocalHostOptions.DefaultS3Port),
            StartDynamoDbLocal = endpoint is null,
            DynamoDbEndpoint = endpoint,
            TableName = Setting("--table-name") ?? "ivs-serverless-local",
            ReconcilerInterval = TimeSpan.FromSeconds(Math.Max(reconcilerSeconds, 1)),
            TokenMode = tokenMode,
            EventDelivery = eventDelivery,
        };
        if (errors.Count == 0)
        {
            try
            {
                options.Validate();
            }
            catch (ArgumentException e)
            {
                errors.Add(e.Message);
            }
        }

        return errors.Count == 0 ? (options, null, false) : (null, string.Join(" ", errors), false);
    }
}
