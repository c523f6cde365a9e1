using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Compositions;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Quotas;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Compositions;

/// <summary>
/// Server-side compositions recorded to the deployment's S3 storage configuration and/or broadcast to its IVS channel (owner only).
/// A start is idempotent per stage and <c>Idempotency-Key</c>: a retry returns the first composition.
/// </summary>
public sealed partial class CompositionService(
    StageAccess access, ICompositionStore store, ICompositionControl ivs, UserQuotas quotas, ApiOptions options, TimeProvider time)
{
    /// <returns>The composition and whether this call started it (false: an earlier call with the same key did).</returns>
    public async Task<(Composition Composition, bool Started)> StartAsync(
        Caller caller, string stageId, string? idempotencyKey, CancellationToken ct)
    {
        if (idempotencyKey is not null && !KeyPattern().IsMatch(idempotencyKey))
        {
            throw RequestValidationException.Field("Idempotency-Key", "1-64 letters, digits, '-' or '_'.");
        }

        var stage = await access.FindOwnedAsync(caller.UserId, stageId, ct);
        if (!options.CompositionsConfigured)
        {
            throw new ServiceUnavailableException("compositions-not-configured", "Compositions are not configured for this deployment.");
        }

        var key = idempotencyKey ?? Guid.NewGuid().ToString("N");
        if (await store.FindByIdempotencyKeyAsync(stageId, key, ct) is { } earlier)
        {
            return (earlier, false);
        }

        // Derived from stage and key, so a start that reached IVS but not our store is deduplicated by IVS on retry.
        var token = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(stageId + ":" + key)))[..64];

        // The claim is named by the same token, so a retried start holds one slot, not two.
        await quotas.ClaimCompositionAsync(stage.OwnerId, token, ct);
        StartedComposition started;
        try
        {
            started = await ivs.StartAsync(new CompositionStart(
            stage.StageArn,
            token,
            new CompositionDestinations(
                options.CompositionEncoderConfigurationArn!, options.CompositionStorageConfigurationArn, options.CompositionChannelArn),
            new Dictionary<string, string>
            {
                [StageService.OwnerTag] = caller.UserId,
                [StageService.ManagedByTag] = options.DeploymentTag
            }), ct);
        }
        catch (IvsServiceException)
        {
            // IVS refused (its own quota, a bad configuration): nothing runs, the slot is free again.
            await quotas.ReleaseCompositionAsync(stage.OwnerId, token, CancellationToken.None);
            throw;
        }

        // Where its S3 destination records and in which session, for the session's recordings list (docs/recordings.md).
        var recording = started.Recording is { } r && options.CompositionStorageConfigurationArn is { } storage
            ? new CompositionRecordingTarget(r.DestinationId, storage, r.S3KeyPrefix, stage.ActiveSessionId)
            : null;
        var composition = new Composition(
            started.Arn, stageId, caller.UserId, key, started.State, time.GetUtcNow(), Recording: recording);
        try
        {
            await store.AddAsync(composition, ct);
            await quotas.ConfirmCompositionAsync(stage.OwnerId, token, stageId, composition.CompositionId, ct);
            return (composition, true);
        }
        catch (CompositionConflictException)
        {
            // A concurrent retry with the same key won the race; both got the same IVS composition.
            var winner = await store.FindByIdempotencyKeyAsync(stageId, key, ct);
            return (winner ?? composition, false);
        }
    }

    public async Task<IReadOnlyList<Composition>> ListAsync(Caller caller, string stageId, CancellationToken ct)
    {
        await access.FindVisibleAsync(caller.UserId, stageId, ct);
        return await store.ListForStageAsync(stageId, ct);
    }

    /// <summary>Stops the composition; stopping a stopped one is fine (idempotent).</summary>
    public async Task StopAsync(Caller caller, string stageId, string compositionId, CancellationToken ct)
    {
        await access.FindOwnedAsync(caller.UserId, stageId, ct);
        var composition = await store.FindAsync(stageId, compositionId, ct)
            ?? throw new NotFoundException("composition-not-found", "The composition does not exist.");
        if (Composition.IsFinished(composition.State))
        {
            return;
        }

        try
        {
            await ivs.StopAsync(composition.CompositionArn, ct);
        }
        catch (IvsResourceNotFoundException)
        {
            // IVS no longer knows it: it has ended (a composition stopped before it started gets no event saying so).
            await store.SetStateAsync(stageId, compositionId, "STOPPED", time.GetUtcNow(), ct);
            return;
        }

        await store.SetStateAsync(stageId, compositionId, "STOPPING", null, ct);
    }

    [GeneratedRegex("^[a-zA-Z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyPattern();
}
