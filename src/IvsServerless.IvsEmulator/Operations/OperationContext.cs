using System.Text.Json.Nodes;
using IvsServerless.IvsEmulator.Events;
using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.Recording;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tokens;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>What one operation may use: the state (already locked), the clock reading, the caller's
/// region and account, the event sink, and the pieces of the request that are not in the body.</summary>
public sealed class OperationContext
{
    public required EmulatorState State { get; init; }
    public required EmulatorOptions Options { get; init; }
    public required string Region { get; init; }
    public required DateTimeOffset Now { get; init; }
    public required IIvsEventSink Events { get; init; }
    public required PageTokens Pages { get; init; }
    public required ParticipantTokenSigner TokenSigner { get; init; }

    /// <summary>Where recording writes are queued (for an S3 bucket); null writes nothing (the emulator run alone).</summary>
    public RecordingQueue? Recordings { get; init; }

    /// <summary>The decoded <c>{resourceArn}</c> path label of the tag operations.</summary>
    public string? ResourceArn { get; init; }

    /// <summary>The repeated <c>tagKeys</c> query parameter of UntagResource.</summary>
    public IReadOnlyList<string> TagKeys { get; init; } = [];

    public string Account => Options.AccountId;

    public string NewArn(string resourceType, string id) => ResourceIds.Arn(Region, Account, resourceType, id);

    /// <summary>Emits an EventBridge event as IVS would, stamped with the emulator clock.</summary>
    public void Emit(string detailType, string resourceArn, JsonObject detail) =>
        Events.Publish(new IvsEvent(Guid.NewGuid().ToString(), detailType, Account, Now,
            ResourceIds.RegionOf(resourceArn), [resourceArn], detail));

    /// <summary>This context as seen at <paramref name="time"/>: scheduled work stamps its changes and events with
    /// the time it was due, not the later moment the scheduler got round to it.</summary>
    public OperationContext At(DateTimeOffset time) => new()
    {
        State = State,
        Options = Options,
        Region = Region,
        Now = time,
        Events = Events,
        Pages = Pages,
        TokenSigner = TokenSigner,
        Recordings = Recordings,
        ResourceArn = ResourceArn,
        TagKeys = TagKeys,
    };

    public static int MaxResults(RequestReader input, int max, int defaultValue) =>
        input.Int("maxResults", 1, max) ?? defaultValue;
}

/// <summary>An operation: reads and validates its input, changes state, returns the response object
/// (serialized as camelCase JSON) — or throws <see cref="IvsException"/>.</summary>
public delegate object IvsOperation(OperationContext context, RequestReader input);

/// <summary>The operation name → implementation table; each resource group registers its own.</summary>
public sealed class OperationTable
{
    private readonly Dictionary<string, IvsOperation> _operations = new(StringComparer.Ordinal);

    public void Add(string name, IvsOperation operation) => _operations.Add(name, operation);

    public bool TryGet(string name, out IvsOperation operation) => _operations.TryGetValue(name, out operation!);

    public IReadOnlyCollection<string> Names => _operations.Keys;

    public static OperationTable CreateDefault()
    {
        var table = new OperationTable();
        StageOperations.Register(table);
        ParticipantTokenOperations.Register(table);
        SessionOperations.Register(table);
        ReplicationOperations.Register(table);
        CompositionOperations.Register(table);
        EncoderConfigurationOperations.Register(table);
        StorageConfigurationOperations.Register(table);
        IngestConfigurationOperations.Register(table);
        PublicKeyOperations.Register(table);
        TagOperations.Register(table);
        return table;
    }
}

/// <summary>The empty output of Delete*, Stop*, tag and disconnect operations.</summary>
public sealed record EmptyResponse
{
    public static readonly EmptyResponse Instance = new();
}
