using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>CreateIngestConfiguration, GetIngestConfiguration, UpdateIngestConfiguration, DeleteIngestConfiguration,
/// ListIngestConfigurations: RTMP(S) publishing into a stage with a stream key.</summary>
public static class IngestConfigurationOperations
{
    private static readonly string[] Protocols = ["RTMP", "RTMPS"];
    private static readonly string[] States = [IngestConfigurationStates.Active, IngestConfigurationStates.Inactive];
    private const string OptionalStageArnText = "^$|^arn:aws:ivs:[a-z0-9-]+:[0-9]+:stage/[a-zA-Z0-9-]+$";

    public static void Register(OperationTable table)
    {
        table.Add("CreateIngestConfiguration", CreateIngestConfiguration);
        table.Add("GetIngestConfiguration", GetIngestConfiguration);
        table.Add("UpdateIngestConfiguration", UpdateIngestConfiguration);
        table.Add("DeleteIngestConfiguration", DeleteIngestConfiguration);
        table.Add("ListIngestConfigurations", ListIngestConfigurations);
    }

    /// <summary>DeleteStage: ingest configurations attached to the stage get <c>stageArn: ""</c>.</summary>
    public static void DetachStage(OperationContext context, string stageArn)
    {
        foreach (var configuration in context.State.IngestConfigurations.Values.Where(c => c.StageArn == stageArn))
        {
            configuration.StageArn = "";
        }
    }

    private static object CreateIngestConfiguration(OperationContext context, RequestReader input)
    {
        var protocol = input.Enum("ingestProtocol", Protocols, required: true);
        var name = input.String("name", max: 128, pattern: Patterns.Name(), patternText: Patterns.ResourceName) ?? "";
        var stageArn = ReadOptionalStageArn(input) ?? "";
        var userId = input.String("userId", max: 128);
        var attributes = input.Attributes();
        var insecureIngest = input.Bool("insecureIngest") ?? false;
        var redundantIngest = input.Bool("redundantIngest") ?? false;
        var tags = input.Tags();
        if (protocol == "RTMP" && !insecureIngest)
        {
            input.Fail("insecureIngest", insecureIngest ? "true" : "false", "Member must be true when ingestProtocol is RTMP");
        }

        input.ThrowIfInvalid();

        // CreateIngestConfiguration models no ResourceNotFoundException, so an unknown stage is invalid input.
        if (stageArn.Length > 0 && !context.State.Stages.ContainsKey(stageArn))
        {
            throw IvsException.Validation($"Stage {stageArn} not found");
        }

        var arn = context.NewArn("ingest-configuration", ResourceIds.NewId());
        var configuration = new IngestConfigurationRecord
        {
            Arn = arn,
            Name = name,
            IngestProtocol = protocol!,
            StreamKey = NewStreamKey(context, arn),
            ParticipantId = ResourceIds.NewId(),
            StageArn = stageArn,
            UserId = userId,
            Attributes = attributes ?? new Dictionary<string, string>(StringComparer.Ordinal),
            InsecureIngest = insecureIngest,
            Tags = tags ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };
        SetRedundantIngest(context, configuration, redundantIngest);
        context.State.IngestConfigurations.Add(configuration.Arn, configuration);
        context.State.Taggable.Add(configuration.Arn, configuration);
        return new { ingestConfiguration = ToIngestConfiguration(configuration) };
    }

    private static object GetIngestConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        input.ThrowIfInvalid();
        return new { ingestConfiguration = ToIngestConfiguration(Find(context, arn!)) };
    }

    private static object UpdateIngestConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        var stageArn = ReadOptionalStageArn(input);
        var redundantIngest = input.Bool("redundantIngest");
        input.ThrowIfInvalid();

        var configuration = Find(context, arn!);
        if (stageArn is { Length: > 0 })
        {
            StageOperations.Find(context, stageArn);
        }

        if (configuration.State == IngestConfigurationStates.Active)
        {
            throw IvsException.Conflict($"Ingest configuration {configuration.Arn} is active and cannot be updated.");
        }

        configuration.StageArn = stageArn ?? configuration.StageArn;
        if (redundantIngest is { } redundant)
        {
            SetRedundantIngest(context, configuration, redundant);
        }

        return new { ingestConfiguration = ToIngestConfiguration(configuration) };
    }

    private static object DeleteIngestConfiguration(OperationContext context, RequestReader input)
    {
        var arn = ReadArn(input, "arn");
        var force = input.Bool("force") ?? false;
        input.ThrowIfInvalid();

        var configuration = Find(context, arn!);
        if (configuration.State == IngestConfigurationStates.Active && !force)
        {
            throw IvsException.Conflict(
                $"Ingest configuration {configuration.Arn} is being used to publish; set force to delete it anyway.");
        }

        // A forced delete cuts the encoder off: its participant leaves the stage.
        if (configuration.State == IngestConfigurationStates.Active
            && context.State.Stages.GetValueOrDefault(configuration.StageArn) is { ActiveSession: { } session } stage
            && session.Participants.GetValueOrDefault(configuration.ParticipantId) is { State: ParticipantStates.Connected } encoder)
        {
            ParticipantLifecycle.Leave(context, stage, session, encoder);
        }

        context.State.IngestConfigurations.Remove(configuration.Arn);
        context.State.Taggable.Remove(configuration.Arn);
        return EmptyResponse.Instance;
    }

    private static object ListIngestConfigurations(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "filterByStageArn", required: false);
        var state = input.Enum("filterByState", States);
        var nextToken = StageOperations.ReadNextToken(input);
        var maxResults = OperationContext.MaxResults(input, 100, 50);
        if (stageArn is not null && state is not null)
        {
            input.Fail("filterByState", state, "Only one of filterByStageArn and filterByState may be set");
        }

        input.ThrowIfInvalid();

        var matching = context.State.IngestConfigurations.Values.Where(c =>
            (stageArn is null || c.StageArn == stageArn) && (state is null || c.State == state));
        var page = context.Pages.Paginate("ListIngestConfigurations", matching, c => c.Arn, nextToken, maxResults);
        return new
        {
            // Summaries never carry the stream key.
            ingestConfigurations = page.Items.Select(c => new
            {
                arn = c.Arn,
                ingestProtocol = c.IngestProtocol,
                stageArn = c.StageArn,
                participantId = c.ParticipantId,
                state = c.State,
                name = c.Name,
                userId = c.UserId,
                redundantIngest = c.RedundantIngest,
            }),
            nextToken = page.NextToken,
        };
    }

    public static object ToIngestConfiguration(IngestConfigurationRecord configuration) => new
    {
        arn = configuration.Arn,
        ingestProtocol = configuration.IngestProtocol,
        streamKey = configuration.StreamKey,
        stageArn = configuration.StageArn,
        participantId = configuration.ParticipantId,
        state = configuration.State,
        name = configuration.Name,
        userId = configuration.UserId,
        redundantIngest = configuration.RedundantIngest,
        redundantIngestCredentials = configuration.RedundantIngestCredentials,
        attributes = configuration.Attributes,
        tags = configuration.Tags,
    };

    public static string? ReadArn(RequestReader input, string name) =>
        input.String(name, true, 1, 128, Patterns.IngestConfigurationArn());

    /// <summary>The ingest configuration with this ARN, or 404.</summary>
    public static IngestConfigurationRecord Find(OperationContext context, string arn) =>
        context.State.IngestConfigurations.TryGetValue(arn, out var configuration)
            ? configuration
            : throw IvsException.NotFound($"Ingest configuration {arn} not found");

    private static string? ReadOptionalStageArn(RequestReader input) =>
        input.String("stageArn", max: 128, pattern: Patterns.OptionalStageArn(), patternText: OptionalStageArnText);

    /// <summary><c>rt_&lt;account&gt;_&lt;region&gt;_&lt;configuration id&gt;_&lt;secret&gt;</c>, as observed.</summary>
    private static string NewStreamKey(OperationContext context, string arn) =>
        $"rt_{context.Account}_{ResourceIds.RegionOf(arn)}_{ResourceIds.IdOf(arn)}_{ResourceIds.NewAlphanumerics(32)}";

    /// <summary>Redundant ingest adds a backup path with its own participant and stream key.</summary>
    private static void SetRedundantIngest(OperationContext context, IngestConfigurationRecord configuration, bool enabled)
    {
        if (enabled == configuration.RedundantIngest && (configuration.RedundantIngestCredentials is not null) == enabled)
        {
            return;
        }

        configuration.RedundantIngest = enabled;
        configuration.RedundantIngestCredentials = enabled
            ? [new RedundantIngestCredential(ResourceIds.NewId(), NewStreamKey(context, configuration.Arn))]
            : null;
    }
}
