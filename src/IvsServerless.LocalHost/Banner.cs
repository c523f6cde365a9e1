using System.Globalization;
using System.Text;

namespace IvsServerless.LocalHost;

/// <summary>What the local host prints once it is ready: where everything is and a first request to paste.</summary>
public static class Banner
{
    /// <summary>Nothing when DynamoDB Local is on 127.0.0.1 only (or is not ours); a warning when it listens on every interface.</summary>
    public static string DynamoDbExposure(LocalHost host) =>
        host?.DynamoDbLoopbackOnly == false
            ? "\n                  WARNING: listens on every interface (no JDK found to bind it to 127.0.0.1 only): anyone on"
              + "\n                  your network can read or change the table. Install a JDK (openjdk-17-jdk-headless) or pass "
                  + "--dynamodb-endpoint."
            : "";

    public static string Text(LocalHost host, TimeSpan sinceProcessStart)
    {
        ArgumentNullException.ThrowIfNull(host);
        var api = Origin(host.ApiUrl);
        var console = Origin(host.ConsoleUrl);
        var functions = new StringBuilder(string.Join(", ", host.Functions));
        if (host.EventRules.Count > 0)
        {
            functions.Append(CultureInfo.InvariantCulture, $"; event bus rules: {string.Join(", ", host.EventRules)}");
        }

        if (host.ReconcilerScheduled)
        {
            functions.Append(CultureInfo.InvariantCulture, $"; reconciler every {host.Options.ReconcilerInterval.TotalSeconds:0.#} s");
        }

        return $$"""

            IvsServerless local host ready in {{Seconds(host.TimeToReady)}} s ({{Seconds(sinceProcessStart)}} s since the process started).

              API front       {{api}}   HTTP API routes, JWT required; GET /health is open
              Console         {{console}}   the web console
              API reference   {{console}}/docs   openapi.yaml, interactive: "Try it out" with a dev token
              OIDC issuer     {{host.IssuerUrl}}   /.well-known/openid-configuration; POST /dev/token mints a user token
              Live updates    {{host.LiveUrl}}?token=<user JWT>   WebSocket push (docs/live-updates.md); @connections on its origin
              IVS emulator    {{Origin(host.EmulatorUrl)}}   AWS API (any SigV4 credentials); /_sim/ plays participants' devices
              Local S3        {{Origin(host.S3Url)}}   bucket {{LocalHostOptions.RecordingsBucket}} (recordings), SigV4 key local/local
              DynamoDB Local  {{Origin(host.DynamoDbUrl)}}   table {{host.Options.TableName}}{{DynamoDbExposure(host)}}
              Functions       {{functions}}

            Try it (bash): a dev token for alice, a stage, a participant token for it
              TOKEN=$(curl -s -X POST {{console}}/dev/token -H 'content-type: application/json' -d '{"userName":"alice"}' | sed -E 's/.*"token":"([^"]+)".*/\1/')
              STAGE=$(curl -s -X POST {{api}}/stages -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{"name":"demo","visibility":"public"}' | sed -E 's/.*"stageId":"([^"]+)".*/\1/')
              curl -s -X POST {{api}}/stages/$STAGE/participant-tokens -H "authorization: Bearer $TOKEN" -H 'content-type: application/json' -d '{}'

            Press Ctrl+C to stop.
            """;
    }

    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
}
