using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Tests.Support;
using IvsServerless.IvsEmulator.Tokens;

namespace IvsServerless.IvsEmulator.Tests.Operations;

/// <summary>The quota is 3, so each test deletes the keys it imports.</summary>
public sealed class PublicKeyOperationsTests(EmulatorFixture emulator) : IClassFixture<EmulatorFixture>
{
    private IvsWireClient Client => emulator.Client;

    [Fact]
    public async Task ImportPublicKey_returns_the_key_with_an_md5_fingerprint_and_GetPublicKey_agrees()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = key.ExportSubjectPublicKeyInfoPem();

        var json = await Client.OkAsync(
            "ImportPublicKey", new { publicKeyMaterial = pem, name = "backend-signing", tags = new { env = "test" } });

        var publicKey = json.GetProperty("publicKey");
        Assert.Equal(["arn", "fingerprint", "name", "publicKeyMaterial", "tags"], publicKey.Members());
        var arn = publicKey.GetProperty("arn").GetString()!;
        Assert.Matches("^arn:aws:ivs:us-east-1:123456789012:public-key/[a-zA-Z0-9]{12}$", arn);
        Assert.Equal("backend-signing", publicKey.GetProperty("name").GetString());
        Assert.Equal(pem, publicKey.GetProperty("publicKeyMaterial").GetString());
        Assert.Equal("test", publicKey.GetProperty("tags").GetProperty("env").GetString());
#pragma warning disable CA5351 // The fingerprint is documented as MD5 of the DER key; recomputing it is the point.
        var expected = string.Join(
            ':', MD5.HashData(key.ExportSubjectPublicKeyInfo()).Select(
            b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning restore CA5351
        Assert.Equal(expected, publicKey.GetProperty("fingerprint").GetString());
        Assert.Matches("^([0-9a-f]{2}:){15}[0-9a-f]{2}$", publicKey.GetProperty("fingerprint").GetString());

        var fetched = await Client.OkAsync("GetPublicKey", new { arn });
        Assert.Equal(publicKey.ToString(), fetched.GetProperty("publicKey").ToString());

        await Client.OkAsync("DeletePublicKey", new { arn });
    }

    [Fact]
    public async Task An_imported_key_verifies_self_signed_tokens_until_it_is_deleted()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var arn = Resources.Arn(
            await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = key.ExportSubjectPublicKeyInfoPem() }), "publicKey");
        var stageArn = await Client.CreateStageAsync();
        var token = SelfSignedToken(key, arn, stageArn, emulator.Clock.GetUtcNow());

        var claims = Verify(token);
        Assert.Equal("self-signed-1", claims.ParticipantId);
        Assert.Equal(stageArn, claims.StageArn);

        Assert.Equal("{}", (await Client.CallAsync("DeletePublicKey", new { arn })).Text);
        var denied = Assert.Throws<IvsException>(() => Verify(token));
        Assert.Equal("AccessDeniedException", denied.ErrorType);
        (await Client.CallAsync("GetPublicKey", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.CallAsync("DeletePublicKey", new { arn })).AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
        (await Client.SendRawAsync(HttpMethod.Get, "/tags/" + Uri.EscapeDataString(arn))).AssertError(
            HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task ImportPublicKey_accepts_crlf_pem_and_surrounding_text()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = "my signing key\r\n" + key.ExportSubjectPublicKeyInfoPem().Replace("\n", "\r\n", StringComparison.Ordinal) + "\r\n";

        var arn = Resources.Arn(await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = pem }), "publicKey");

        await Client.OkAsync("DeletePublicKey", new { arn });
    }

    [Fact]
    public async Task ImportPublicKey_only_accepts_ec_p384_public_keys()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var p521 = ECDsa.Create(ECCurve.NamedCurves.nistP521);
        using var rsa = RSA.Create(2048);
        string[] rejected =
        [
            p256.ExportSubjectPublicKeyInfoPem(),
            p521.ExportSubjectPublicKeyInfoPem(),
            rsa.ExportSubjectPublicKeyInfoPem(),
            "-----BEGIN PUBLIC KEY-----\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PUBLIC KEY-----",
            "-----BEGIN PUBLIC KEY-----\nAAA\n-----END PUBLIC KEY-----",
        ];

        var before = (await Client.OkAsync("ListPublicKeys")).GetProperty("publicKeys").GetArrayLength();
        foreach (var material in rejected)
        {
            var response = await Client.CallAsync("ImportPublicKey", new { publicKeyMaterial = material });
            response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        }

        Assert.Equal(before, (await Client.OkAsync("ListPublicKeys")).GetProperty("publicKeys").GetArrayLength());
    }

    [Theory]
    [InlineData("""{}""", "Value null at 'publicKeyMaterial' failed to satisfy constraint: Member must not be null")]
    [
        InlineData(
        """{"publicKeyMaterial":"not a pem"}""",
        "at 'publicKeyMaterial' failed to satisfy constraint: Member must satisfy regular expression pattern")]
    [
        InlineData(
        """{"publicKeyMaterial":"-----BEGIN PUBLIC KEY-----\nab$cd\n-----END PUBLIC KEY-----"}""",
        "Member must satisfy regular expression pattern")]
    [
        InlineData(
        """{"publicKeyMaterial":"-----BEGIN RSA PUBLIC KEY-----\nabcd\n-----END RSA PUBLIC KEY-----"}""",
        "Member must satisfy regular expression pattern")]
    public async Task ImportPublicKey_rejects_missing_or_malformed_material(string body, string expected)
    {
        var response = await Client.SendRawAsync(HttpMethod.Post, "/ImportPublicKey", body);
        response.AssertError(HttpStatusCode.BadRequest, "ValidationException");
        Assert.Contains(expected, response.ExceptionMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportPublicKey_rejects_a_bad_name_or_tags()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        (await Client.CallAsync("ImportPublicKey", new { publicKeyMaterial = pem, name = "bad name" })).AssertError(
            HttpStatusCode.BadRequest, "ValidationException");
        (
            await Client.CallAsync(
            "ImportPublicKey", new { publicKeyMaterial = pem, tags = Enumerable.Range(0, 51).ToDictionary(i => $"k{i}", _ => "v") }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
    }

    [Fact]
    public async Task Importing_the_same_key_twice_is_409_even_with_other_line_endings()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var pem = key.ExportSubjectPublicKeyInfoPem();
        var arn = Resources.Arn(await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = pem }), "publicKey");

        (await Client.CallAsync("ImportPublicKey", new { publicKeyMaterial = pem, name = "again" })).AssertError(
            HttpStatusCode.Conflict, "ConflictException");
        (await Client.CallAsync("ImportPublicKey", new { publicKeyMaterial = pem.Replace("\n", "\r\n", StringComparison.Ordinal) }))
            .AssertError(HttpStatusCode.Conflict, "ConflictException");

        await Client.OkAsync("DeletePublicKey", new { arn });
        var again = Resources.Arn(await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = pem }), "publicKey");
        Assert.NotEqual(arn, again);
        await Client.OkAsync("DeletePublicKey", new { arn = again });
    }

    [Fact]
    public async Task ImportPublicKey_beyond_the_quota_of_3_is_402()
    {
        await Resources.WithOwnEmulatorAsync(async own =>
        {
            var keys = Enumerable.Range(0, 4).Select(_ => ECDsa.Create(ECCurve.NamedCurves.nistP384)).ToList();
            try
            {
                for (var i = 0; i < 3; i++)
                {
                    await own.Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = keys[i].ExportSubjectPublicKeyInfoPem() });
                }

                (await own.Client.CallAsync("ImportPublicKey", new { publicKeyMaterial = keys[3].ExportSubjectPublicKeyInfoPem() }))
                    .AssertError((HttpStatusCode)402, "ServiceQuotaExceededException");
            }
            finally
            {
                keys.ForEach(k => k.Dispose());
            }
        });
    }

    [Theory]
    [InlineData("GetPublicKey")]
    [InlineData("DeletePublicKey")]
    public async Task Get_and_Delete_validate_the_arn_and_answer_404_for_an_unknown_one(string operation)
    {
        (await Client.CallAsync(operation, new { })).AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:stage/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.BadRequest, "ValidationException");
        (await Client.CallAsync(operation, new { arn = "arn:aws:ivs:us-east-1:123456789012:public-key/abcdABCDefgh" }))
            .AssertError(HttpStatusCode.NotFound, "ResourceNotFoundException");
    }

    [Fact]
    public async Task ListPublicKeys_returns_summaries_without_material_page_by_page()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var arns = new[]
        {
            Resources.Arn(
                await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = first.ExportSubjectPublicKeyInfoPem(), name = "one" }),
                "publicKey"),
            Resources.Arn(
                await Client.OkAsync("ImportPublicKey", new { publicKeyMaterial = second.ExportSubjectPublicKeyInfoPem(), name = "two" }),
                "publicKey"),
        };

        var page1 = await Client.OkAsync("ListPublicKeys", new { maxResults = 1 });
        var summary = Assert.Single(page1.GetProperty("publicKeys").EnumerateArray());
        Assert.Equal(["arn", "name", "tags"], summary.Members());
        var page2 = await Client.OkAsync("ListPublicKeys", new { maxResults = 1, nextToken = page1.GetProperty("nextToken").GetString() });
        Assert.False(page2.TryGetProperty("nextToken", out _));
        Assert.Equal(arns.Order(StringComparer.Ordinal),
            new[] { summary, page2.GetProperty("publicKeys")[0] }.Select(k => k.GetProperty("arn").GetString()!));

        (await Client.CallAsync("ListPublicKeys", new { maxResults = 0 })).AssertError(HttpStatusCode.BadRequest, "ValidationException");

        foreach (var arn in arns)
        {
            await Client.OkAsync("DeletePublicKey", new { arn });
        }
    }

    private static string SelfSignedToken(ECDsa key, string keyArn, string stageArn, DateTimeOffset now)
    {
        var header = new JsonObject { ["alg"] = "ES384", ["typ"] = "JWT", ["kid"] = keyArn };
        var claims = new ParticipantTokenClaims(
            "self-signed-1", stageArn, "wss://global.events.live-video.net", "https://example.global-bm.whip.live-video.net",
            true, true, "user-1", new Dictionary<string, string>(), now, now.AddHours(1));
        return Jwt.Sign(header, claims.ToJson(), key);
    }

    private ParticipantTokenClaims Verify(string token) =>
        emulator.Emulator.Run(null, context => ParticipantTokenVerifier.Verify(token, context.State, context.TokenSigner, context.Now));
}
