using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.Tokens.Minting;
using IvsServerless.Core.TokenSigning;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Core.Tests.TokenSigning;

public sealed class SelfSignedTokenMinterTests
{
    private const string KeyArn = "arn:aws:ivs:us-east-1:123456789012:public-key/abcdEFGH1234";
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    private static readonly Stage Stage = new("AbCdef1G2hij", "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij", "demo", "alice",
        StageVisibility.Public, new HashSet<string>(), new HashSet<string>(), Now,
        Endpoints: new StageEndpoints("wss://global.events.live-video.net", "https://abc123.global-bm.whip.live-video.net"));

    [Fact]
    public async Task Token_has_exactly_the_header_and_claims_IVS_requires()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var (minter, _, _) = Create(key);
        var grant = new TokenGrant("bob", ParticipantCapabilities.Subscribe, TimeSpan.FromMinutes(90),
            new Dictionary<string, string> { ["displayName"] = "Bob \"B\" ✓", ["color"] = "red" });

        var minted = await minter.MintAsync(Stage, grant, CancellationToken.None);

        var parts = minted.Token.Split('.');
        Assert.Equal(3, parts.Length);
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
        Assert.Equal(["alg", "typ", "kid"], header.RootElement.EnumerateObject().Select(p => p.Name));
        Assert.Equal("ES384", header.RootElement.GetProperty("alg").GetString());
        Assert.Equal("JWT", header.RootElement.GetProperty("typ").GetString());
        Assert.Equal(KeyArn, header.RootElement.GetProperty("kid").GetString());

        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var claims = payload.RootElement;
        Assert.Equal(
            ["exp", "iat", "jti", "user_id", "resource", "topic", "events_url", "whip_url", "capabilities", "attributes", "version"],
            claims.EnumerateObject().Select(p => p.Name));
        Assert.Equal(Now.ToUnixTimeSeconds(), claims.GetProperty("iat").GetInt64());
        Assert.Equal(Now.AddMinutes(90).ToUnixTimeSeconds(), claims.GetProperty("exp").GetInt64());
        Assert.Equal(minted.ParticipantId, claims.GetProperty("jti").GetString());
        Assert.Matches("^[A-Za-z0-9]{12}$", minted.ParticipantId);
        Assert.Equal("bob", claims.GetProperty("user_id").GetString());
        Assert.Equal(Stage.StageArn, claims.GetProperty("resource").GetString());
        Assert.Equal("AbCdef1G2hij", claims.GetProperty("topic").GetString());
        Assert.Equal(Stage.Endpoints!.Events, claims.GetProperty("events_url").GetString());
        Assert.Equal(Stage.Endpoints.Whip, claims.GetProperty("whip_url").GetString());
        Assert.False(claims.GetProperty("capabilities").GetProperty("allow_publish").GetBoolean());
        Assert.True(claims.GetProperty("capabilities").GetProperty("allow_subscribe").GetBoolean());
        Assert.Equal(2, claims.GetProperty("capabilities").EnumerateObject().Count());
        Assert.Equal("Bob \"B\" ✓", claims.GetProperty("attributes").GetProperty("displayName").GetString());
        Assert.Equal("red", claims.GetProperty("attributes").GetProperty("color").GetString());
        Assert.Equal(JsonValueKind.Number, claims.GetProperty("iat").ValueKind);
        Assert.Equal("1.0", claims.GetProperty("version").GetString());
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(claims.GetProperty("exp").GetInt64()), minted.ExpiresAt);

        var signature = Base64Url.DecodeFromChars(parts[2]);
        Assert.Equal(96, signature.Length);
        Assert.True(key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), signature, HashAlgorithmName.SHA384,
            DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
    }

    [Fact]
    public async Task Publish_and_subscribe_grant_sets_both_capabilities_and_each_token_gets_its_own_participant()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var (minter, _, _) = Create(key);
        var grant = new TokenGrant(
            "alice", ParticipantCapabilities.PublishAndSubscribe, TimeSpan.FromHours(12), new Dictionary<string, string>());

        var first = await minter.MintAsync(Stage, grant, CancellationToken.None);
        var second = await minter.MintAsync(Stage, grant, CancellationToken.None);

        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(first.Token.Split('.')[1]));
        Assert.True(payload.RootElement.GetProperty("capabilities").GetProperty("allow_publish").GetBoolean());
        Assert.True(payload.RootElement.GetProperty("capabilities").GetProperty("allow_subscribe").GetBoolean());
        Assert.Empty(payload.RootElement.GetProperty("attributes").EnumerateObject());
        Assert.NotEqual(first.ParticipantId, second.ParticipantId);
        Assert.DoesNotContain(first.Token, first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_without_cached_endpoints_is_a_programming_error_not_a_token()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var (minter, _, _) = Create(key);
        var grant = new TokenGrant("alice", ParticipantCapabilities.Subscribe, TimeSpan.FromHours(1), new Dictionary<string, string>());
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => minter.MintAsync(Stage with { Endpoints = null }, grant, CancellationToken.None));
    }

    [Fact]
    public async Task Key_is_read_once_per_ttl_and_a_rotation_takes_effect_after_it()
    {
        using var first = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var (minter, store, time) = Create(first);
        var grant = new TokenGrant("alice", ParticipantCapabilities.Subscribe, TimeSpan.FromHours(1), new Dictionary<string, string>());

        for (var i = 0; i < 5; i++)
        {
            await minter.MintAsync(Stage, grant, CancellationToken.None);
        }

        Assert.Equal(1, store.Reads);

        using var second = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        store.Key = new TokenSigningKey(KeyArn + "2", second.ExportPkcs8PrivateKey(), Now);
        Assert.Equal(KeyArn, KidOf((await minter.MintAsync(Stage, grant, CancellationToken.None)).Token));

        time.Advance(SigningKeyCache.DefaultTtl);
        Assert.Equal(KeyArn + "2", KidOf((await minter.MintAsync(Stage, grant, CancellationToken.None)).Token));
        Assert.Equal(2, store.Reads);
    }

    [Fact]
    public async Task Key_store_outage_keeps_signing_with_the_cached_key_and_retries_later()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var (minter, store, time) = Create(key);
        var grant = new TokenGrant("alice", ParticipantCapabilities.Subscribe, TimeSpan.FromHours(1), new Dictionary<string, string>());
        await minter.MintAsync(Stage, grant, CancellationToken.None);

        store.Failure = new HttpRequestException("ssm unreachable");
        time.Advance(SigningKeyCache.DefaultTtl);
        Assert.Equal(KeyArn, KidOf((await minter.MintAsync(Stage, grant, CancellationToken.None)).Token));
        await minter.MintAsync(Stage, grant, CancellationToken.None);
        Assert.Equal(2, store.Reads);

        time.Advance(SigningKeyCache.RetryAfterFailure);
        await minter.MintAsync(Stage, grant, CancellationToken.None);
        Assert.Equal(3, store.Reads);
    }

    [Fact]
    public async Task No_key_provisioned_or_unreadable_store_on_first_use_is_signing_unavailable()
    {
        var store = new FakeStore();
        using var cache = new SigningKeyCache(store, SigningKeyCache.DefaultTtl, new FakeTimeProvider(Now));
        var minter = new SelfSignedTokenMinter(cache, new FakeTimeProvider(Now));
        var grant = new TokenGrant("alice", ParticipantCapabilities.Subscribe, TimeSpan.FromHours(1), new Dictionary<string, string>());

        await Assert.ThrowsAsync<TokenSigningUnavailableException>(() => minter.MintAsync(Stage, grant, CancellationToken.None));
        store.Failure = new HttpRequestException("down");
        await Assert.ThrowsAsync<TokenSigningUnavailableException>(() => minter.MintAsync(Stage, grant, CancellationToken.None));
    }

    [Fact]
    public async Task Stored_key_that_is_not_P384_is_refused_without_quoting_it()
    {
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var store = new FakeStore { Key = new TokenSigningKey(KeyArn, p256.ExportPkcs8PrivateKey(), Now) };
        using var cache = new SigningKeyCache(store, SigningKeyCache.DefaultTtl, new FakeTimeProvider(Now));
        var error = await Assert.ThrowsAsync<TokenSigningUnavailableException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        Assert.Contains("P-384", error.Message, StringComparison.Ordinal);

        store.Key = new TokenSigningKey(KeyArn, [1, 2, 3, 4], Now);
        error = await Assert.ThrowsAsync<TokenSigningUnavailableException>(() => cache.GetAsync(CancellationToken.None).AsTask());
        Assert.DoesNotContain("AQIDBA", error.Message, StringComparison.Ordinal);
        Assert.Null(error.InnerException);
        Assert.DoesNotContain("AQIDBA", store.Key.ToString(), StringComparison.Ordinal);
    }

    private static (SelfSignedTokenMinter Minter, FakeStore Store, FakeTimeProvider Time) Create(ECDsa key)
    {
        var time = new FakeTimeProvider(Now);
        var store = new FakeStore { Key = new TokenSigningKey(KeyArn, key.ExportPkcs8PrivateKey(), Now) };
        return (new SelfSignedTokenMinter(new SigningKeyCache(store, SigningKeyCache.DefaultTtl, time), time), store, time);
    }

    private static string KidOf(string token)
    {
        using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[0]));
        return header.RootElement.GetProperty("kid").GetString()!;
    }

    private sealed class FakeStore : ITokenSigningKeyStore
    {
        public TokenSigningKey? Key { get; set; }
        public Exception? Failure { get; set; }
        public int Reads { get; private set; }

        public Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken)
        {
            Reads++;
            return Failure is null ? Task.FromResult(Key) : Task.FromException<TokenSigningKey?>(Failure);
        }

        public Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}

public sealed class SelfSignedTokenMinterConcurrencyTests
{
    [Fact]
    public async Task Concurrent_callers_share_one_key_and_every_token_verifies()
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP384);
        var store = new CountingStore(
            new TokenSigningKey("arn:aws:ivs:us-east-1:123456789012:public-key/k", key.ExportPkcs8PrivateKey(), DateTimeOffset.UtcNow));
        using var cache = new SigningKeyCache(store, SigningKeyCache.DefaultTtl);
        var minter = new SelfSignedTokenMinter(cache);
        var stage = new Stage(
            "s1", "arn:aws:ivs:us-east-1:123456789012:stage/s1", "n", "o", StageVisibility.Public, new HashSet<string>(),
            new HashSet<string>(),
            DateTimeOffset.UtcNow, Endpoints: new StageEndpoints("wss://e", "https://w"));
        var grant = new TokenGrant(
            "u", ParticipantCapabilities.Subscribe, TimeSpan.FromHours(1), new Dictionary<string, string> { ["color"] = "red" });

        var tokens = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            var minted = new List<string>();
            for (var i = 0; i < 10; i++)
            {
                minted.Add((await minter.MintAsync(stage, grant, CancellationToken.None)).Token);
            }

            return minted;
        })));

        Assert.Equal(1, store.Reads);
        var all = tokens.SelectMany(t => t).ToList();
        Assert.Equal(80, all.Distinct().Count());
        foreach (var token in all)
        {
            var cut = token.LastIndexOf('.');
            Assert.True(
                key.VerifyData(
                System.Text.Encoding.ASCII.GetBytes(token[..cut]), System.Buffers.Text.Base64Url.DecodeFromChars(token.AsSpan(cut + 1)),
                System.Security.Cryptography.HashAlgorithmName.SHA384,
                    System.Security.Cryptography.DSASignatureFormat.IeeeP1363FixedFieldConcatenation));
        }
    }

    private sealed class CountingStore(TokenSigningKey key) : ITokenSigningKeyStore
    {
        private int _reads;

        public int Reads => Volatile.Read(ref _reads);

        public async Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _reads);

            // Yield so concurrent first callers really overlap the load.
            await Task.Yield();
            return key;
        }

        public Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
