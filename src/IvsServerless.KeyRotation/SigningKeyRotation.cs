using System.Globalization;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;
using IvsServerless.Core.TokenSigning;

namespace IvsServerless.KeyRotation;

/// <summary>What one rotation run found and did (ARNs only: nothing secret).</summary>
public sealed record RotationOutcome(
    bool Rotated, string CurrentKeyArn, IReadOnlyList<string> DeletedKeyArns, IReadOnlyList<string> KeptKeyArns);

/// <summary>The public-key quota leaves no room and nothing can be deleted safely yet; nothing was changed.</summary>
public sealed class PublicKeyQuotaException(string message) : Exception(message);

/// <summary>
/// The lifecycle of the participant-token signing keys of one deployment (keys tagged managed-by = deployment tag and
/// purpose = <see cref="Purpose"/>):
/// <list type="number">
/// <item>a replaced key is deleted once <see cref="KeyRotationOptions.Retention"/> has passed since its replacement
/// (every token it signed has expired by then); a key imported but never stored is deleted after a short grace;</item>
/// <item>a new key is made when there is none, the stored one is gone from IVS, the current one has outlived the
/// retention window, or on <c>force</c>: generate P-384, <c>ImportPublicKey</c> with tags, then store the private key
/// (the switch; API containers pick it up within their cache TTL). A failed store deletes the just-imported key.</item>
/// </list>
/// Rotating only once the previous key is deletable keeps this deployment at two keys at most, inside the quota of 3,
/// and makes repeated runs harmless (idempotent). When the quota is full and nothing is safe to delete, the run fails
/// with a clear error and changes nothing.
/// </summary>
public sealed class SigningKeyRotation(
    IPublicKeyRegistry ivs, ITokenSigningKeyStore store, KeyRotationOptions options, TimeProvider? time = null)
{
    public const string ManagedByTag = StageTags.ManagedBy;
    public const string PurposeTag = "ivs-serverless:purpose";
    public const string CreatedAtTag = "ivs-serverless:created-at";
    public const string Purpose = "participant-token-signing";

    private readonly TimeProvider _time = time ?? TimeProvider.System;

    public async Task<RotationOutcome> RotateAsync(bool force, CancellationToken cancellationToken)
    {
        options.Validate();
        var all = await ivs.ListPublicKeysAsync(cancellationToken);
        var mine = all.Select(Managed).OfType<ManagedKey>().OrderBy(k => k.CreatedAt).ToList();
        var current = await store.GetAsync(cancellationToken);
        var now = _time.GetUtcNow();
        var currentInIvs = current is not null && mine.Any(k => k.Arn == current.KeyArn);

        var deletable = mine.Where(k => SafeToDelete(k, currentInIvs ? current : null, now)).ToList();
        var rotate = force || !currentInIvs || current!.ActivatedAt + options.Retention <= now;
        if (rotate && all.Count - deletable.Count >= KeyRotationOptions.PublicKeyQuota)
        {
            throw new PublicKeyQuotaException(
                $"Cannot rotate the participant-token signing key: {all.Count} of {KeyRotationOptions.PublicKeyQuota} IVS public keys "
                    + $"exist "
                + $"({mine.Count} of this deployment: {string.Join(", ", mine.Select(k => k.Arn))}) and none can be deleted yet without "
                + $"invalidating live tokens (retention {options.Retention}). Nothing was changed; retry after the retention window or "
                    + $"delete unused keys.");
        }

        var deleted = new List<string>();
        foreach (var key in deletable)
        {
            await DeleteKeyAsync(key.Arn, cancellationToken);
            deleted.Add(key.Arn);
        }

        var currentArn = current?.KeyArn ?? "";
        if (rotate)
        {
            currentArn = await ImportAndStoreAsync(cancellationToken);
        }

        var kept = mine.Select(k => k.Arn).Except(deleted).Append(currentArn).Distinct().ToList();
        return new RotationOutcome(rotate, currentArn, deleted, kept);
    }

    /// <summary>Stack teardown: every key this deployment imported, then the stored private key.</summary>
    public async Task<IReadOnlyList<string>> TeardownAsync(CancellationToken cancellationToken)
    {
        options.Validate();
        var mine = (await ivs.ListPublicKeysAsync(cancellationToken)).Select(Managed).OfType<ManagedKey>().ToList();
        foreach (var key in mine)
        {
            await DeleteKeyAsync(key.Arn, cancellationToken);
        }

        await store.DeleteAsync(cancellationToken);
        return [.. mine.Select(k => k.Arn)];
    }

    private bool SafeToDelete(ManagedKey key, TokenSigningKey? current, DateTimeOffset now)
    {
        if (current is null)
        {
            // Without a valid current key nobody knows when these stopped signing: keep them until a new key has
            // been current for the whole retention window.
            return false;
        }

        if (key.Arn == current.KeyArn)
        {
            return false;
        }

        return key.CreatedAt > current.ActivatedAt
            ? key.CreatedAt + options.OrphanGrace <= now
            : current.ActivatedAt + options.Retention <= now;
    }

    private async Task<string> ImportAndStoreAsync(CancellationToken cancellationToken)
    {
        var pair = GeneratedSigningKeyPair.Create();
        var createdAt = _time.GetUtcNow();
        var arn = await ivs.ImportPublicKeyAsync(KeyName(createdAt), pair.PublicKeyPem, new Dictionary<string, string>
        {
            [ManagedByTag] = options.DeploymentTag,
            [PurposeTag] = Purpose,
            [CreatedAtTag] = createdAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
        }, cancellationToken);

        try
        {
            await store.PutAsync(new TokenSigningKey(arn, pair.Pkcs8PrivateKey, createdAt), cancellationToken);
        }
        catch
        {
            // Its private key is lost: take the public half back so it does not hold a quota slot. If this fails too,
            // the next run deletes it as an orphan.
            try
            {
                await DeleteKeyAsync(arn, CancellationToken.None);
            }
            catch (Exception e) when (e is IvsServiceException or HttpRequestException)
            {
            }

            throw;
        }
        finally
        {
            Array.Clear(pair.Pkcs8PrivateKey);
        }

        return arn;
    }

    /// <summary>IVS key names allow only <c>[a-zA-Z0-9-_]</c>, at most 128.</summary>
    private string KeyName(DateTimeOffset createdAt)
    {
        var prefix = new string([.. options.DeploymentTag.Where(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_').Take(80)]);
        return $"{prefix}-token-signing-{createdAt.UtcDateTime.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}";
    }

    // Already deleted (an earlier attempt) reaches the goal too.
    private Task DeleteKeyAsync(string arn, CancellationToken cancellationToken) =>
        ivs.DeletePublicKeyIfExistsAsync(arn, cancellationToken);

    private ManagedKey? Managed(RegisteredPublicKey key)
    {
        var (arn, tags) = (key.Arn, key.Tags);
        if (arn.Length == 0
            || !tags.TryGetValue(ManagedByTag, out var owner) || owner != options.DeploymentTag
            || !tags.TryGetValue(PurposeTag, out var purpose) || purpose != Purpose)
        {
            return null;
        }

        // A key of ours without a readable creation time counts as the oldest: it can only be deleted, never current.
        var createdAt = tags.TryGetValue(CreatedAtTag, out var text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : DateTimeOffset.MinValue;
        return new ManagedKey(arn, createdAt);
    }

    private sealed record ManagedKey(string Arn, DateTimeOffset CreatedAt);
}
