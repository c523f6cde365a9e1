using IvsServerless.Api.Tests.Support;
using IvsServerless.Core.Tokens.Minting;
using IvsServerless.Core.TokenSigning;
using IvsServerless.Infrastructure.TokenSigning;
using IvsServerless.IvsRealTime.Adapter;
using IvsServerless.KeyRotation;
using Microsoft.Extensions.Time.Testing;

namespace IvsServerless.Api.Tests.SelfSigned;

/// <summary>
/// The API in self-signed mode on the in-process emulator, with the key rotation of the same deployment. Two clocks:
/// the rotation's (advanced by whole retention windows) and the API's (advanced by cache TTLs; it stamps iat/exp,
/// which the emulator checks against the real time, so it stays near now).
/// </summary>
public sealed class SelfSignedSystem : IAsyncDisposable
{
    public static readonly TimeSpan MaxTokenLifetime = TimeSpan.FromHours(12);

    private SelfSignedSystem(
        ApiHarness api, InMemoryTokenSigningKeyStore keys, FakeTimeProvider apiTime, FakeTimeProvider rotationTime, SigningKeyCache cache)
    {
        Api = api;
        Keys = keys;
        ApiTime = apiTime;
        RotationTime = rotationTime;
        Cache = cache;
        Options = new KeyRotationOptions
        {
            DeploymentTag = "tests",
            MaxTokenLifetime = MaxTokenLifetime,
            SigningKeyCacheTtl = SigningKeyCache.DefaultTtl
        };
        Rotation = new SigningKeyRotation(new IvsRealTimeAdapter(api.Ivs), keys, Options, rotationTime);
    }

    public ApiHarness Api { get; }
    public InMemoryTokenSigningKeyStore Keys { get; }
    public FakeTimeProvider ApiTime { get; }
    public FakeTimeProvider RotationTime { get; }
    public SigningKeyCache Cache { get; }
    public KeyRotationOptions Options { get; }
    public SigningKeyRotation Rotation { get; }

    public static async Task<SelfSignedSystem> StartAsync(DateTimeOffset? apiNow = null)
    {
        var keys = new InMemoryTokenSigningKeyStore();
        var apiTime = new FakeTimeProvider(apiNow ?? DateTimeOffset.UtcNow);
        var cache = new SigningKeyCache(keys, SigningKeyCache.DefaultTtl, apiTime);
        var api = await ApiHarness.StartAsync(_ => new SelfSignedTokenMinter(cache, apiTime));
        return new SelfSignedSystem(api, keys, apiTime, new FakeTimeProvider(DateTimeOffset.UtcNow), cache);
    }

    public async ValueTask DisposeAsync()
    {
        Cache.Dispose();
        await Api.DisposeAsync();
    }
}
