using System.Text.RegularExpressions;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;
using IvsServerless.Api.Stages;
using IvsServerless.Core.Ivs;
using IvsServerless.Core.Stages;
using IvsServerless.Core.Tokens;

namespace IvsServerless.Api.Ingest;

/// <summary>
/// Ingest configurations for RTMP(S) encoders (OBS, hardware encoders) publishing into a stage: the owner or a co-host
/// creates one for themselves (IVS user id = the caller, attributes by the token policy), lists them, and deletes them (the
/// owner any, a co-host their own). IVS keeps them (ListIngestConfigurations by stage); nothing is stored here. The stream key
/// is a bearer secret: returned once at creation, never listed, logged or put in an exception.
/// </summary>
public sealed partial class IngestService(StageAccess access, TokenPolicy policy, IIngestControl ivs, ApiOptions options)
{
    /// <summary>IngestConfigurationName in the IVS model: at most 128 of [a-zA-Z0-9-_].</summary>
    public const int MaxNameLength = 128;

    /// <summary>
    /// Creates an ingest configuration bound to the stage for the caller. 409 <c>ingest-limit-reached</c> past the per-stage limit,
    /// 409 <c>ivs-quota-exceeded</c> when the account's IVS quota of ingest configurations is used up.
    /// </summary>
    public async Task<CreatedIngestConfiguration> CreateAsync(
        Caller caller, string stageId, CreateIngestConfigurationBody body, CancellationToken ct)
    {
        var protocol = body.IngestProtocol switch
        {
            "RTMPS" => IngestProtocol.Rtmps,
            "RTMP" => IngestProtocol.Rtmp,
            null => throw RequestValidationException.Field("ingestProtocol", "Required: \"RTMP\" or \"RTMPS\"."),
            _ => throw RequestValidationException.Field(
                "ingestProtocol", "Only \"RTMP\" and \"RTMPS\" (IVS offers no WHIP ingest configuration; WHIP publishes with a token)."),
        };
        if (string.IsNullOrEmpty(body.Name) || body.Name.Length > MaxNameLength || !NamePattern().IsMatch(body.Name))
        {
            throw RequestValidationException.Field("name", $"1-{MaxNameLength} letters, digits, '-' or '_'.");
        }

        var stage = await FindHostedAsync(caller, stageId, ct);

        // The one token policy decides the attributes (server-owned role and displayName) of the encoder's participant.
        var decision = policy.Decide(stage, caller, new TokenRequest(ParticipantCapabilities.Publish));
        var grant = decision.Grant ?? throw new ForbiddenException("host-only", decision.Reason ?? "You may not publish on this stage.");

        var limit = options.Quotas.IngestConfigurationsPerStage;
        if (await CountAsync(stage.StageArn, limit, ct) >= limit)
        {
            throw new StateConflictException("ingest-limit-reached",
                $"A stage can have at most {limit} ingest configurations (the per-stage limit); delete one first.");
        }

        try
        {
            return await ivs.CreateIngestConfigurationAsync(new IngestCreate(stage.StageArn, body.Name, protocol, caller.UserId,
                grant.Attributes, new Dictionary<string, string>
                {
                    [StageService.OwnerTag] = stage.OwnerId,
                    [StageService.ManagedByTag] = options.DeploymentTag,
                }), ct);
        }
        catch (IvsQuotaExceededException)
        {
            throw new StateConflictException("ivs-quota-exceeded",
                "The account's IVS quota of ingest configurations is used up; delete unused ones or ask AWS for more.");
        }
    }

    /// <summary>The stage's ingest configurations (owner or co-host), without keys.</summary>
    public async Task<IReadOnlyList<IvsIngestConfiguration>> ListAsync(Caller caller, string stageId, CancellationToken ct)
    {
        var stage = await FindHostedAsync(caller, stageId, ct);
        return await AllAsync(stage.StageArn, int.MaxValue, ct);
    }

    /// <summary>Deletes one (the owner any, a co-host only their own); an encoder streaming with it is disconnected.</summary>
    public async Task DeleteAsync(Caller caller, string stageId, string ingestConfigurationId, CancellationToken ct)
    {
        var stage = await FindHostedAsync(caller, stageId, ct);
        var arn = ArnOf(stage.StageArn, ingestConfigurationId);
        var configuration = await ivs.FindIngestConfigurationAsync(arn, ct);
        if (configuration is null || configuration.StageArn != stage.StageArn)
        {
            throw NotFound();
        }

        if (!stage.IsOwnedBy(caller.UserId) && configuration.UserId != caller.UserId)
        {
            throw new ForbiddenException("owner-only", "Only the stage owner or the co-host who created it may delete it.");
        }

        if (!await ivs.DeleteIngestConfigurationAsync(arn, ct))
        {
            throw NotFound();
        }
    }

    /// <summary>The id of an ingest configuration ARN (its last path segment), as the API names it.</summary>
    public static string IdOf(string arn) => arn[(arn.LastIndexOf('/') + 1)..];

    /// <summary>The ARN of an ingest configuration of the stage's account and region.</summary>
    private static string ArnOf(string stageArn, string id) =>
        stageArn[..stageArn.LastIndexOf(":stage/", StringComparison.Ordinal)] + ":ingest-configuration/" + id;

    private async Task<Stage> FindHostedAsync(Caller caller, string stageId, CancellationToken ct)
    {
        var stage = await access.FindVisibleAsync(caller.UserId, stageId, ct);
        return stage.RoleOf(caller.UserId) is StageRole.Owner or StageRole.CoHost
            ? stage
            : throw new ForbiddenException("host-only", "Only the stage owner or a co-host may do this.");
    }

    private async Task<int> CountAsync(string stageArn, int atMost, CancellationToken ct) => (await AllAsync(stageArn, atMost, ct)).Count;

    private async Task<List<IvsIngestConfiguration>> AllAsync(string stageArn, int atMost, CancellationToken ct)
    {
        var all = new List<IvsIngestConfiguration>();
        string? next = null;
        do
        {
            var page = await ivs.ListIngestConfigurationsAsync(stageArn, next, ct);
            all.AddRange(page.Items.Where(c => c.StageArn == stageArn));
            next = page.NextCursor;
        }
        while (!string.IsNullOrEmpty(next) && all.Count < atMost);

        return all;
    }

    private static NotFoundException NotFound() =>
        new NotFoundException("ingest-configuration-not-found", "The stage has no such ingest configuration.");

    [GeneratedRegex("^[a-zA-Z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();
}
