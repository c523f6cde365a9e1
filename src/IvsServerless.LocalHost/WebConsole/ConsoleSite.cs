using System.Text.Json;
using System.Text.Json.Nodes;
using IvsServerless.LocalBus;
using IvsServerless.LocalHost.Auth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Logging;

namespace IvsServerless.LocalHost.WebConsole;

/// <summary>What the console origin needs from the rest of the host, read at request time.</summary>
public sealed record ConsoleSiteContext(
    Func<JsonObject> Config,
    Func<DevTokenIssuer> Issuer,
    Func<Uri> EmulatorAddress,
    Func<IReadOnlyList<DeadLetter>> DeadLetters);

/// <summary>
/// The console origin (default port 3001): the web console's static files, <c>/config.json</c> telling it where
/// everything is, the dev OIDC issuer (discovery, JWKS, <c>POST /dev/token</c>), a reverse proxy to the emulator's
/// <c>/_sim/</c> surface (so the page needs no CORS to act as a participant's device), <c>/_local/</c> inspection, and
/// the interactive API reference at <c>/docs</c> (<see cref="ApiReference"/>), and the pinned third-party browser code the console
/// loads at <c>/vendor/</c> (<see cref="ConsoleVendor"/>).
/// </summary>
public sealed class ConsoleSite : IAsyncDisposable
{
    private static readonly string[] ProxiedResponseHeaders = ["x-amzn-RequestId", "x-amzn-ErrorType", "x-amzn-ErrorMessage"];

    private readonly WebApplication _app;
    private readonly HttpClient _emulator;

    private ConsoleSite(WebApplication app, HttpClient emulator)
    {
        _app = app;
        _emulator = emulator;
    }

    public Uri BaseAddress => LocalUrls.BoundAddress(_app);

    /// <summary>Where the console's files are served from: <c>wwwroot</c> beside the host's assembly (copied there by the build).</summary>
    public static string WebRoot => Path.Combine(AppContext.BaseDirectory, "wwwroot");

    public static ConsoleSite Create(int port, ConsoleSiteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var builder = WebApplication.CreateSlimBuilder(["--urls", LocalUrls.Loopback(port)]);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var emulator = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        Map(app, context, emulator);
        return new ConsoleSite(app, emulator);
    }

    public Task StartAsync(CancellationToken cancellationToken) => _app.StartAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _emulator.Dispose();
    }

    private static void Map(WebApplication app, ConsoleSiteContext context, HttpClient emulator)
    {
        if (Directory.Exists(WebRoot))
        {
            var files = new PhysicalFileProvider(WebRoot);
            app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
            app.UseStaticFiles(new StaticFileOptions
            {
                FileProvider = files,
                // The console changes with the code; never let a browser keep a stale copy.
                OnPrepareResponse = file => file.Context.Response.Headers.CacheControl = "no-cache",
            });
        }

        app.MapGet("/config.json", () => Results.Text(context.Config().ToJsonString(), "application/json"));
        ApiReference.Map(app);
        ConsoleVendor.Map(app);

        app.MapGet(
            "/.well-known/openid-configuration", () =>
            Results.Text(context.Issuer().DiscoveryDocument().ToJsonString(), "application/json"));
        app.MapGet("/.well-known/jwks.json", () => Results.Text(context.Issuer().Jwks().ToJsonString(), "application/json"));
        app.MapPost("/dev/token", (HttpContext http) => MintAsync(http, context.Issuer()));

        app.Map("/_sim/{**rest}", (HttpContext http) => ProxyAsync(http, emulator, context.EmulatorAddress()));

        app.MapGet("/_local/dead-letters", () =>
        {
            var letters = context.DeadLetters();
            var items = new JsonArray([.. letters.Select(l => (JsonNode)new JsonObject
            {
                ["rule"] = l.RuleName,
                ["attempts"] = l.Attempts,
                ["error"] = l.ErrorMessage,
                ["event"] = ParseOrText(l.EventJson),
            })]);
            return Results.Text(new JsonObject { ["count"] = letters.Count, ["items"] = items }.ToJsonString(), "application/json");
        });
    }

    private static async Task MintAsync(HttpContext http, DevTokenIssuer issuer)
    {
        string? userName = null;
        try
        {
            using var body = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: http.RequestAborted);
            if (body.RootElement.ValueKind == JsonValueKind.Object
                && body.RootElement.TryGetProperty("userName", out var name) && name.ValueKind == JsonValueKind.String)
            {
                userName = name.GetString();
            }
        }
        catch (JsonException)
        {
            // Falls through to the 400 below.
        }

        if (!DevTokenIssuer.IsValidUserName(userName))
        {
            await WriteJsonAsync(http, StatusCodes.Status400BadRequest, new JsonObject
            {
                ["message"] = "Send {\"userName\":\"alice\"}: a user name is 1-64 letters, digits or _ . @ -.",
            });
            return;
        }

        var token = issuer.Mint(userName!);
        http.Response.Headers.CacheControl = "no-store";
        await WriteJsonAsync(http, StatusCodes.Status200OK, new JsonObject
        {
            ["token"] = token.Token,
            ["expiresIn"] = token.ExpiresIn,
            ["userName"] = token.UserName,
        });
    }

    /// <summary>Forwards the request as it came (method, path under <c>/_sim/</c>, query, body, content type).</summary>
    private static async Task ProxyAsync(HttpContext http, HttpClient emulator, Uri emulatorAddress)
    {
        var target = new Uri(
            emulatorAddress, http.Request.Path.ToUriComponent().TrimStart('/') + http.Request.QueryString.ToUriComponent());
        using var forward = new HttpRequestMessage(new HttpMethod(http.Request.Method), target);
        if (http.Request.ContentLength > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
            forward.Content = new ByteArrayContent(buffer.ToArray());
            if (http.Request.ContentType is { } contentType)
            {
                forward.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        HttpResponseMessage response;
        try
        {
            response = await emulator.SendAsync(forward, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (HttpRequestException)
        {
            await WriteJsonAsync(
                http, StatusCodes.Status502BadGateway, new JsonObject { ["message"] = "The IVS emulator did not answer." });
            return;
        }

        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            foreach (var name in ProxiedResponseHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values))
                {
                    http.Response.Headers[name] = values.ToArray();
                }
            }

            if (response.Content.Headers.ContentType is { } type)
            {
                http.Response.ContentType = type.ToString();
            }

            await response.Content.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }

    private static JsonNode? ParseOrText(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static async Task WriteJsonAsync(HttpContext http, int status, JsonObject body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(body.ToJsonString(), http.RequestAborted);
    }
}
