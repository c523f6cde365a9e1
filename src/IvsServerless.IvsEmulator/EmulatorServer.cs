using System.Text.Json;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.Simulation;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace IvsServerless.IvsEmulator;

/// <summary>
/// The emulator on the IVS real-time wire protocol (restJson1), plus the separate simulation surface
/// under <c>/_sim/</c>. Used by <c>Program</c> when run alone, by tests, and by the local host.
/// </summary>
public sealed class EmulatorServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EmulatorServer(WebApplication app, IvsRealTimeEmulator emulator)
    {
        _app = app;
        Emulator = emulator;
    }

    public IvsRealTimeEmulator Emulator { get; }

    /// <summary>The first address Kestrel bound (a port of 0 resolves to the real port).</summary>
    public Uri BaseAddress => new(_app.Services.GetRequiredService<IServer>().Features
        .GetRequiredFeature<IServerAddressesFeature>().Addresses.First().Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");

    /// <summary>Builds the server. <paramref name="args"/> are ordinary host arguments (<c>--urls</c>, configuration).</summary>
    public static EmulatorServer Create(string[] args, EmulatorOptions? options = null, TimeProvider? time = null,
        IIvsEventSink? events = null, Action<ILoggingBuilder>? logging = null, IRecordingWriter? recordings = null)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        options ??= builder.Configuration.GetSection("IvsEmulator").Get<EmulatorOptions>() ?? new EmulatorOptions();
        if (logging is not null)
        {
            logging(builder.Logging);
        }

        var emulator = new IvsRealTimeEmulator(options, time, events, recordings);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);
        var app = builder.Build();
        Map(app, emulator);
        return new EmulatorServer(app, emulator);
    }

    /// <summary>Creates and starts a server on <paramref name="url"/> (use port 0 for a free port).</summary>
    public static async Task<EmulatorServer> StartAsync(string url = "http://127.0.0.1:0", EmulatorOptions? options = null,
        TimeProvider? time = null, IIvsEventSink? events = null, IRecordingWriter? recordings = null)
    {
        var server = Create(["--urls", url], options, time, events, logging => logging.ClearProviders(), recordings);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts listening; <see cref="BaseAddress"/> is known once this completes.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default) => _app.StartAsync(cancellationToken);

    /// <summary>Completes when the host is asked to stop (Ctrl+C, SIGTERM).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await Emulator.DisposeAsync();
    }

    private static void Map(WebApplication app, IvsRealTimeEmulator emulator)
    {
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("IvsEmulator");
        app.Use(async (http, next) =>
        {
            var requestId = Guid.NewGuid().ToString();
            http.Response.Headers["x-amzn-RequestId"] = requestId;
            ServiceHeaders(http.Response);
            try
            {
                await next(http);
            }
            catch (IvsException error)
            {
                await WriteError(http, error);
            }
            catch (BadHttpRequestException bad) when (bad.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                await WriteError(http, IvsException.TooLarge("The request body is too large."));
            }
            catch (BadHttpRequestException)
            {
                await WriteError(http, IvsException.Serialization("The request could not be read."));
            }
            catch (Exception e) when (!http.Response.HasStarted)
            {
                logger.LogError(e, "Unhandled error in request {RequestId}", requestId);
                await WriteError(http, IvsException.Internal());
            }
        });

        app.MapPost("/{operation}", async (HttpContext http, string operation) =>
        {
            var body = await ReadBody(http, emulator.Options.MaxRequestBodyBytes);
            await WriteJson(http, emulator.Execute(operation, body, RegionOf(http.Request)));
        });

        app.MapMethods("/tags/{**resourceArn}", ["GET", "POST", "DELETE"], async (HttpContext http) =>
        {
            var operation = http.Request.Method switch
            {
                "GET" => "ListTagsForResource",
                "POST" => "TagResource",
                _ => "UntagResource",
            };
            var body = await ReadBody(http, emulator.Options.MaxRequestBodyBytes);
            var tagKeys = http.Request.Query["tagKeys"].Where(k => k is not null).Select(k => k!).ToList();
            await WriteJson(http, emulator.Execute(operation, body, RegionOf(http.Request), TagsPathLabel(http), tagKeys));
        });

        SimulationEndpoints.Map(app, emulator);

        app.MapFallback((HttpContext http) =>
            throw IvsException.UnknownOperation($"No operation at {http.Request.Method} {http.Request.Path}."));
    }

    /// <summary>The ARN label is sent as one percent-encoded segment; routing leaves %2F encoded, so decode the raw target.</summary>
    private static string TagsPathLabel(HttpContext http)
    {
        var raw = http.Features.GetRequiredFeature<IHttpRequestFeature>().RawTarget;
        var path = raw.Split('?', 2)[0];
        var label = path["/tags/".Length..];
        return Uri.UnescapeDataString(label);
    }

    /// <summary>The region of the SigV4 credential scope (<c>Credential=AKID/date/region/service/aws4_request</c>), if any.</summary>
    internal static string? RegionOf(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        var start = authorization.IndexOf("Credential=", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var scope = authorization[(start + "Credential=".Length)..].Split(',', 2)[0].Split('/');
        return scope.Length == 5 && scope[2].Length > 0 && scope[2].All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? scope[2]
            : null;
    }

    internal static async Task<byte[]> ReadBody(HttpContext http, int maxBytes)
    {
        if (http.Request.ContentLength > maxBytes)
        {
            throw IvsException.TooLarge($"The request body exceeds {maxBytes} bytes.");
        }

        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        return buffer.Length > maxBytes ? throw IvsException.TooLarge($"The request body exceeds {maxBytes} bytes.") : buffer.ToArray();
    }

    internal static async Task WriteJson(HttpContext http, byte[] body)
    {
        http.Response.StatusCode = StatusCodes.Status200OK;
        http.Response.ContentType = "application/json";
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>The error wire shape both SDK families read: header type plus exceptionMessage and message.</summary>
    internal static async Task WriteError(HttpContext http, IvsException error)
    {
        http.Response.StatusCode = error.StatusCode;
        http.Response.ContentType = "application/json";
        http.Response.Headers["x-amzn-ErrorType"] = error.ErrorType;
        if (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The body was not read: the connection cannot carry another request, so tell the client not to reuse it.
            http.Response.Headers.Connection = "close";
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string> { ["exceptionMessage"] = error.Message, ["message"] = error.Message });
        await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>Headers the real front end adds to every response (modeled as outputs of the replication operations).</summary>
    private static void ServiceHeaders(HttpResponse response)
    {
        response.Headers["Access-Control-Allow-Origin"] = "*";
        response.Headers["Access-Control-Expose-Headers"] = "x-amzn-RequestId,x-amzn-ErrorType,x-amzn-ErrorMessage,Date";
        response.Headers["Cache-Control"] = "no-store, no-cache";
        response.Headers["Content-Security-Policy"] = "default-src 'self'";
        response.Headers["Strict-Transport-Security"] = "max-age=47304000; includeSubDomains";
        response.Headers["X-Content-Type-Options"] = "nosniff";
        response.Headers["X-Frame-Options"] = "DENY";
    }
}
