using System.Text.Json;
using System.Text.Json.Serialization;
using IvsServerless.Lambda.Runtime;

namespace IvsServerless.KeyRotation;

/// <summary>
/// The <c>key-rotation</c> function. Events:
/// <list type="bullet">
/// <item>a CloudFormation custom resource (CDK Provider <c>onEvent</c>): <c>Create</c> / <c>Update</c> rotate when
/// due (so every deploy ensures a usable key), <c>Delete</c> tears down (deletes this deployment's public keys and the
/// stored private key); the answer carries <c>PhysicalResourceId</c> and <c>Data.KeyArn</c>;</item>
/// <item>anything else (an EventBridge schedule, a manual invoke) rotates when due; <c>{"force": true}</c> rotates
/// now (a suspected key leak).</item>
/// </list>
/// Logs ARNs and decisions only, never key material.
/// </summary>
public sealed class KeyRotationHandler(SigningKeyRotation rotation, string deploymentTag) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(ReadOnlyMemory<byte> payload, ILambdaContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = Parse(payload);
        var physicalId = request.PhysicalResourceId is { Length: > 0 } id ? id : $"{deploymentTag}-token-signing-keys";

        if (request.RequestType == "Delete")
        {
            var deleted = await rotation.TeardownAsync(ct);
            context.Logger.Log(LambdaLogLevel.Information, "Token signing keys torn down",
                new KeyValuePair<string, object?>("deletedKeyArns", string.Join(",", deleted)));
            return JsonSerializer.SerializeToUtf8Bytes(new CustomResourceResponse(physicalId, new CustomResourceData("")),
                KeyRotationJsonContext.Default.CustomResourceResponse);
        }

        var outcome = await rotation.RotateAsync(request.Force, ct);
        context.Logger.Log(LambdaLogLevel.Information, outcome.Rotated ? "Token signing key rotated" : "Token signing key still current",
            new("currentKeyArn", outcome.CurrentKeyArn),
            new("deletedKeyArns", string.Join(",", outcome.DeletedKeyArns)),
            new("keptKeyArns", string.Join(",", outcome.KeptKeyArns)));

        return request.RequestType is null
            ? JsonSerializer.SerializeToUtf8Bytes(outcome, KeyRotationJsonContext.Default.RotationOutcome)
            : JsonSerializer.SerializeToUtf8Bytes(new CustomResourceResponse(physicalId, new CustomResourceData(outcome.CurrentKeyArn)),
                KeyRotationJsonContext.Default.CustomResourceResponse);
    }

    private static RotationRequest Parse(ReadOnlyMemory<byte> payload)
    {
        try
        {
            return (payload.IsEmpty ? null : JsonSerializer.Deserialize(payload.Span, KeyRotationJsonContext.Default.RotationRequest))
                ?? new RotationRequest();
        }
        catch (JsonException e)
        {
            throw new ArgumentException("The key-rotation event is not a JSON object.", nameof(payload), e);
        }
    }
}

/// <summary>The fields the handler reads; everything else in the event (schedule envelope, resource properties) is ignored.</summary>
public sealed record RotationRequest
{
    /// <summary>CloudFormation custom resource: Create, Update or Delete; null for any other event.</summary>
    public string? RequestType { get; init; }

    public string? PhysicalResourceId { get; init; }

    [JsonPropertyName("force")]
    public bool Force { get; init; }
}

public sealed record CustomResourceResponse(string PhysicalResourceId, CustomResourceData Data);

public sealed record CustomResourceData(string KeyArn);

[JsonSourceGenerationOptions(PropertyNameCaseInsensitive = false)]
[JsonSerializable(typeof(RotationRequest))]
[JsonSerializable(typeof(RotationOutcome))]
[JsonSerializable(typeof(CustomResourceResponse))]
internal sealed partial class KeyRotationJsonContext : JsonSerializerContext;
