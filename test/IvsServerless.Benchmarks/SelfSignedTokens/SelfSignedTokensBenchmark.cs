using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using IvsServerless.Benchmarks.Support;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;
using IvsServerless.Core.Tokens.Minting;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.Benchmarks.SelfSignedTokens;

/// <summary>
/// Self-signed participant tokens per second on one thread, through the real minter (key cache hit, claims JSON,
/// base64url, ES384 signature, token string), against the ES384 ceiling measured in the same run: a bare
/// <see cref="ECDsa.SignData(byte[], HashAlgorithmName, DSASignatureFormat)"/> loop with the same key over an input of
/// the same length. Rounds alternate the two loops so machine noise hits both alike.
/// The machine is shared and noisy, so many short rounds alternate the two loops and the ratio is the median of the
/// per-round ratios (each pair ran back to back under the same load).
/// Options: <c>--sign-round-ms N</c> per loop per round (default 250), <c>--sign-rounds N</c> (default 24).
/// </summary>
public sealed class SelfSignedTokensBenchmark : IBenchmark
{
    public const double Target = 0.85;

    public string Name => "self-signed-tokens";

    public string Description => "self-signed participant tokens/s (1 thread) vs the bare ES384 SignData ceiling; target >= 85%";

    public async Task<BenchmarkResult> RunAsync(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var options = new BenchmarkArgs(args);
        var round = TimeSpan.FromMilliseconds(options.Count("sign-round-ms", 250));
        var rounds = options.Count("sign-rounds", 24);
        var seconds = round.TotalSeconds;
        var errors = 0;

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        var store = new FixedKeyStore(
            new TokenSigningKey("arn:aws:ivs:us-east-1:123456789012:public-key/AbCdEfGh1234", key.ExportPkcs8PrivateKey(),
            DateTimeOffset.UtcNow));
        using var cache = new SigningKeyCache(store, SigningKeyCache.DefaultTtl);
        var minter = new SelfSignedTokenMinter(cache);
        var stage = new Stage(
            "AbCdef1G2hij", "arn:aws:ivs:us-east-1:123456789012:stage/AbCdef1G2hij", "demo", "owner-1", StageVisibility.Public,
            new HashSet<string>(), new HashSet<string>(), DateTimeOffset.UtcNow,
            Endpoints: new StageEndpoints("wss://global.events.live-video.net", "https://abc123def456.global-bm.whip.live-video.net"));
        var grant = new TokenGrant("user-0123456789abcdef", ParticipantCapabilities.PublishAndSubscribe, TimeSpan.FromHours(12),
            new Dictionary<string, string>
            {
                ["displayName"] = "Ada Lovelace",
                ["avatarUrl"] = "https://cdn.example.com/a/ada.png",
                ["color"] = "teal"
            });

        // The bare loop signs what the minter signs: header.payload of a real token.
        var sample = (await minter.MintAsync(stage, grant, cancellationToken)).Token;
        var signingInput = Encoding.ASCII.GetBytes(sample[..sample.LastIndexOf('.')]);

        // Warm-up (JIT, OpenSSL contexts, pools).
        for (var i = 0; i < 200; i++)
        {
            key.SignData(signingInput, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
            await minter.MintAsync(stage, grant, cancellationToken);
        }

        var bare = new List<double>();
        var minted = new List<double>();
        var ratios = new List<double>();
        for (var r = 0; r < rounds && !cancellationToken.IsCancellationRequested; r++)
        {
            bare.Add(
                Rate(
                round, () => key.SignData(signingInput, HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation)));
            minted.Add(await RateAsync(round, () => minter.MintAsync(stage, grant, cancellationToken)));

            // Every round's tokens must be real: check one against the public key.
            var check = (await minter.MintAsync(stage, grant, cancellationToken)).Token;
            var cut = check.LastIndexOf('.');
            if (!key.VerifyData(Encoding.ASCII.GetBytes(check[..cut]), System.Buffers.Text.Base64Url.DecodeFromChars(check.AsSpan(cut + 1)),
                HashAlgorithmName.SHA384, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                errors++;
            }
            ratios.Add(minted[^1] / bare[^1]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  round {r + 1,2}: bare SignData {bare[^1],9:F0}/s   self-signed tokens {minted[^1],9:F0}/s   ratio {ratios[^1]:P1}"));
        }

        var ceiling = Median(bare);
        var tokens = Median(minted);
        var ratio = Median(ratios);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"self-signed-tokens: {tokens:F0} tokens/s vs ES384 ceiling {ceiling:F0} signatures/s (1 thread, medians of {bare.Count} "
                + $"rounds); median paired ratio {ratio:P1} (target >= {Target:P0}); token {sample.Length} chars"));

        return new BenchmarkResult(Name,
            new Dictionary<string, double>
            {
                ["tokensPerSecond"] = Math.Round(tokens),
                ["es384SignaturesPerSecond"] = Math.Round(ceiling),
                ["ratio"] = Math.Round(ratio, 4),
                ["tokenLength"] = sample.Length,
                ["errors"] = errors,
            },
            ratio >= Target && errors == 0,
            [
                $"single thread; {bare.Count} alternating rounds of {seconds}s; ratio = median of per-round ratios; bare loop signs a "
                + $"same-length input with the same key"]);
    }

    private static double Rate(TimeSpan duration, Action operation)
    {
        var count = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 16; i++)
            {
                operation();
            }

            count += 16;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> RateAsync(TimeSpan duration, Func<Task<MintedToken>> operation)
    {
        var count = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            for (var i = 0; i < 16; i++)
            {
                await operation();
            }

            count += 16;
        }

        return count / watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private sealed class FixedKeyStore(TokenSigningKey key) : ITokenSigningKeyStore
    {
        public Task<TokenSigningKey?> GetAsync(CancellationToken cancellationToken) => Task.FromResult<TokenSigningKey?>(key);

        public Task PutAsync(TokenSigningKey key, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task DeleteAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
