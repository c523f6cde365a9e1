using System.Text.Json.Serialization;
using IvsServerless.Api.Contracts;
using IvsServerless.Api.Errors;

namespace IvsServerless.Api;

/// <summary>Every body this API reads or writes. Strict on input: unknown members are an error.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    AllowDuplicateProperties = false)]
[JsonSerializable(typeof(CreateStageBody))]
[JsonSerializable(typeof(UpdateStageBody))]
[JsonSerializable(typeof(CreateTokenBody))]
[JsonSerializable(typeof(DisconnectBody))]
[JsonSerializable(typeof(ExchangeTokenBody))]
[JsonSerializable(typeof(CreateIngestConfigurationBody))]
[JsonSerializable(typeof(StartReplicationBody))]
[JsonSerializable(typeof(IngestConfigurationView))]
[JsonSerializable(typeof(IngestConfigurationListView))]
[JsonSerializable(typeof(ReplicaView))]
[JsonSerializable(typeof(ReplicaListView))]
[JsonSerializable(typeof(StageView))]
[JsonSerializable(typeof(StagePageView))]
[JsonSerializable(typeof(TokenView))]
[JsonSerializable(typeof(CompositionView))]
[JsonSerializable(typeof(CompositionListView))]
[JsonSerializable(typeof(SessionPageView))]
[JsonSerializable(typeof(SessionDetailView))]
[JsonSerializable(typeof(RecordingListView))]
[JsonSerializable(typeof(BanListView))]
[JsonSerializable(typeof(HealthView))]
[JsonSerializable(typeof(Problem))]
public sealed partial class ApiJsonContext : JsonSerializerContext;
