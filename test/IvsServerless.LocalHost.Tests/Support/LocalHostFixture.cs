using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace IvsServerless.LocalHost.Tests.Support;

/// <summary>
/// One local host for every end-to-end class (DynamoDB Local costs seconds to start), on free ports, driven only
/// over HTTP as apps would: dev tokens from the issuer, the API front, and the console's <c>/_sim/</c> proxy to
/// act as the participants' devices.
/// </summary>
public sealed class LocalHostFixture : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    public LocalHost Host { get; private set; } = null!;

    public HttpClient Http { get; } = new(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false });

    public async Task InitializeAsync()
    {
        // A failed event comes back after a second here, not after the queue's visibility timeout (3 minutes).
        Host = await LocalHost.StartAsync(LocalHostOptions.OnFreePorts() with
        {
            ReconcilerInterval = TimeSpan.FromSeconds(2),
            EventRetryDelay = RetryDelay,
        });
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Host.DisposeAsync();
    }

    public Uri Api(string path) => new(Host.ApiUrl, path);

    public Uri Console(string path) => new(Host.ConsoleUrl, path);

    /// <summary>A user token from the dev issuer (one per user name, reused).</summary>
    public async Task<string> TokenAsync(string user)
    {
        if (_tokens.TryGetValue(user, out var token))
        {
            return token;
        }

        var minted = await PostJsonAsync(Console("/dev/token"), $$"""{"userName":"{{user}}"}""");
        Assert.Equal(200, minted.Status);
        return _tokens[user] = minted.Json.GetProperty("token").GetString()!;
    }

    /// <summary>A call to the API front as <paramref name="user"/> (null: no Authorization header).</summary>
    public async Task<Reply> CallAsync(HttpMethod method, string path, string? user, string? json = null,
        IReadOnlyDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, Api(path));
        if (user is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(user));
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return await Reply.ReadAsync(response);
    }

    public Task<Reply> GetAsync(string path, string? user) => CallAsync(HttpMethod.Get, path, user);

    public Task<Reply> PostAsync(string path, string? user, string? json = null, IReadOnlyDictionary<string, string>? headers = null) =>
        CallAsync(HttpMethod.Post, path, user, json, headers);

    public Task<Reply> DeleteAsync(string path, string? user) => CallAsync(HttpMethod.Delete, path, user);

    /// <summary>A device action through the console origin's <c>/_sim/</c> proxy.</summary>
    public Task<Reply> SimAsync(string path, string json = "{}") => PostJsonAsync(Console("/_sim/" + path), json);

    public async Task<Reply> PostJsonAsync(Uri url, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await Http.PostAsync(url, content);
        return await Reply.ReadAsync(response);
    }

    /// <summary>Creates a stage as <paramref name="owner"/> and returns its id.</summary>
    public async Task<string> CreateStageAsync(
        string owner, string visibility = "public", string[]? coHosts = null, string[]? invited = null)
    {
        var body = JsonSerializer.Serialize(new Dictionary<string, object>
        {
            ["name"] = $"{owner}-{visibility}",
            ["visibility"] = visibility,
            ["coHostIds"] = coHosts ?? [],
            ["invitedUserIds"] = invited ?? [],
        });
        var created = await PostAsync("/stages", owner, body);
        Assert.True(created.Status == 201, created.ToString());
        return created.Json.GetProperty("stageId").GetString()!;
    }

    /// <summary>Mints a participant token through the API and joins the stage with it, as the IVS SDK would.</summary>
    public async Task<(string ParticipantId, string Token)> JoinAsync(string stageId, string user, string? tokenBody = null)
    {
        var issued = await PostAsync($"/stages/{stageId}/participant-tokens", user, tokenBody ?? "{}");
        Assert.True(issued.Status == 201, issued.ToString());
        var token = issued.Json.GetProperty("token").GetString()!;
        var joined = await SimAsync("join", JsonSerializer.Serialize(new { token, osName = "iOS", sdkVersion = "1.20.0" }));
        Assert.True(joined.Status == 200, joined.ToString());
        return (joined.Json.GetProperty("participantId").GetString()!, token);
    }

    /// <summary>
    /// Polls until <paramref name="condition"/> holds: events reach the projection asynchronously (emulator → bus →
    /// function → DynamoDB), so tests wait for the outcome with a deadline instead of sleeping.
    /// </summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, string what, TimeSpan? timeout = null)
    {
        var clock = Stopwatch.StartNew();
        var deadline = timeout ?? TimeSpan.FromSeconds(20);
        while (true)
        {
            var value = await read();
            if (condition(value))
            {
                return value;
            }

            if (clock.Elapsed > deadline)
            {
                Assert.Fail($"Not true within {deadline.TotalSeconds:0} s: {what}. Last value: {value}");
            }

            await Task.Delay(100);
        }
    }
}

/// <summary>An HTTP answer: status, body as JSON (when it is JSON), raw text and headers.</summary>
public sealed record Reply(int Status, string Text, string? ContentType, IReadOnlyDictionary<string, string> Headers)
{
    public JsonElement Json => JsonDocument.Parse(Text).RootElement;

    /// <summary>The problem's stable <c>code</c> (application/problem+json), if any.</summary>
    public string? Code => ContentType == "application/problem+json" && Json.TryGetProperty("code", out var code) ? code.GetString() : null;

    public static async Task<Reply> ReadAsync(HttpResponseMessage response)
    {
        var headers = response.Headers.Concat(response.Content.Headers)
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(",", h.Value), StringComparer.Ordinal);
        return new Reply(
            (int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType, headers);
    }

    public override string ToString() => $"{Status} {Text}";

    public bool Is(HttpStatusCode status) => Status == (int)status;
}

[CollectionDefinition(Name)]
public sealed class LocalHostCollection : ICollectionFixture<LocalHostFixture>
{
    public const string Name = "local host";
}
