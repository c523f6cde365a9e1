using System.Buffers.Text;
using System.Text.Json;
using IvsServerless.LocalHost.Tests.Support;

namespace IvsServerless.LocalHost.Tests;

/// <summary>The console origin: config, the dev OIDC issuer, the console's files and the <c>/_sim/</c> proxy.</summary>
[Collection(LocalHostCollection.Name)]
public sealed class ConsoleOriginTests(LocalHostFixture local)
{
    private static string Origin(Uri url) => url.GetLeftPart(UriPartial.Authority);

    [Fact]
    public async Task Config_json_tells_the_console_where_every_part_listens()
    {
        var config = (await local.Http.GetFromJsonElementAsync(local.Console("/config.json")));

        Assert.Equal(Origin(local.Host.ApiUrl), config.GetProperty("apiUrl").GetString());
        Assert.Equal(local.Host.IssuerUrl, config.GetProperty("issuerUrl").GetString());
        Assert.Equal(Origin(local.Host.EmulatorUrl), config.GetProperty("emulatorUrl").GetString());
        Assert.Equal(Origin(local.Host.ConsoleUrl), local.Host.IssuerUrl);
    }

    [Fact]
    public async Task Discovery_names_the_issuer_and_a_JWKS_with_one_RSA_signing_key()
    {
        var discovery = await local.Http.GetFromJsonElementAsync(local.Console("/.well-known/openid-configuration"));
        var jwks = await local.Http.GetFromJsonElementAsync(new Uri(discovery.GetProperty("jwks_uri").GetString()!));

        Assert.Equal(local.Host.IssuerUrl, discovery.GetProperty("issuer").GetString());
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray().ToList());
        Assert.Equal("RSA", key.GetProperty("kty").GetString());
        Assert.Equal("sig", key.GetProperty("use").GetString());
        Assert.Equal("RS256", key.GetProperty("alg").GetString());
        Assert.False(key.TryGetProperty("d", out _));
    }

    [Fact]
    public async Task A_dev_token_is_an_RS256_user_JWT_for_the_local_audience()
    {
        var minted = await local.PostJsonAsync(local.Console("/dev/token"), """{"userName":"dev.user@example-1"}""");

        Assert.Equal(200, minted.Status);
        Assert.Equal("dev.user@example-1", minted.Json.GetProperty("userName").GetString());
        Assert.Equal(3600, minted.Json.GetProperty("expiresIn").GetInt32());
        var parts = minted.Json.GetProperty("token").GetString()!.Split('.');
        var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0])).RootElement;
        var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1])).RootElement;
        Assert.Equal("RS256", header.GetProperty("alg").GetString());
        Assert.Equal("dev.user@example-1", claims.GetProperty("sub").GetString());
        Assert.Equal(local.Host.IssuerUrl, claims.GetProperty("iss").GetString());
        Assert.Equal("ivs-serverless-local", claims.GetProperty("aud").GetString());
        Assert.Equal(3600, claims.GetProperty("exp").GetInt64() - claims.GetProperty("iat").GetInt64());
    }

    [Theory]
    [InlineData("""{"userName":""}""")]
    [InlineData("""{"userName":"has space"}""")]
    [InlineData("""{"userName":"a/b"}""")]
    [InlineData("""{"userName":"alice\n"}""")]
    [InlineData("""{"userName":"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"}""")]
    [InlineData("""{"userName":42}""")]
    [InlineData("""{"user":"alice"}""")]
    [InlineData("""["alice"]""")]
    [InlineData("not json")]
    [InlineData("")]
    public async Task A_dev_token_needs_a_valid_user_name(string body)
    {
        var refused = await local.PostJsonAsync(local.Console("/dev/token"), body);

        Assert.Equal(400, refused.Status);
        Assert.Contains("userName", refused.Json.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serves_the_console_page()
    {
        using var response = await local.Http.GetAsync(local.Console("/"));

        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<html", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_sim_proxy_forwards_to_the_emulator_and_keeps_its_error_shape()
    {
        var refused = await local.SimAsync("join", """{"token":"not-a-participant-token"}""");
        using var events = await local.Http.GetAsync(local.Console("/_sim/events"));

        Assert.Equal(403, refused.Status);
        Assert.Equal("AccessDeniedException", refused.Headers["x-amzn-errortype"]);
        Assert.True(refused.Json.TryGetProperty("exceptionMessage", out _));
        Assert.True(events.IsSuccessStatusCode);
    }

    [Fact]
    public async Task Dead_letters_are_listed_for_inspection()
    {
        var letters = await local.Http.GetFromJsonElementAsync(local.Console("/_local/dead-letters"));

        Assert.Equal(letters.GetProperty("items").GetArrayLength(), letters.GetProperty("count").GetInt32());
    }
}

internal static class HttpJson
{
    public static async Task<JsonElement> GetFromJsonElementAsync(this HttpClient http, Uri url)
    {
        using var response = await http.GetAsync(url);
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}");
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
    }
}
