using IvsServerless.IvsEmulator.Protocol;
using IvsServerless.IvsEmulator.State;
using IvsServerless.IvsEmulator.Tokens;

namespace IvsServerless.IvsEmulator.Operations;

/// <summary>CreateParticipantToken, and the token minting CreateStage shares.</summary>
public static class ParticipantTokenOperations
{
    public const int DefaultDurationMinutes = 720;
    public const int MaxDurationMinutes = 20160;
    public static readonly string[] Capabilities = ["PUBLISH", "SUBSCRIBE"];

    public static void Register(OperationTable table) => table.Add("CreateParticipantToken", CreateParticipantToken);

    private static object CreateParticipantToken(OperationContext context, RequestReader input)
    {
        var stageArn = StageOperations.ReadStageArn(input, "stageArn");
        var request = ReadTokenRequest(input);
        input.ThrowIfInvalid();

        var stage = StageOperations.Find(context, stageArn!);
        return new { participantToken = Mint(context, stage, request) };
    }

    /// <summary>The members CreateParticipantToken and ParticipantTokenConfiguration share.</summary>
    public static TokenRequest ReadTokenRequest(RequestReader input) => new(
        input.Int("duration", 1, MaxDurationMinutes) ?? DefaultDurationMinutes,
        input.String("userId", max: 128),
        input.Attributes() ?? new Dictionary<string, string>(StringComparer.Ordinal),
        input.EnumList("capabilities", Capabilities, maxItems: 2)?.Distinct().ToList() ?? [.. Capabilities]);

    public static object Mint(OperationContext context, StageRecord stage, TokenRequest request)
    {
        var participantId = ResourceIds.NewId();
        var expires = context.Now.AddMinutes(request.DurationMinutes);
        var token = context.TokenSigner.Mint(new ParticipantTokenClaims(
            participantId,
            stage.Arn,
            stage.Endpoints.Events,
            stage.Endpoints.Whip,
            request.Capabilities.Contains("PUBLISH"),
            request.Capabilities.Contains("SUBSCRIBE"),
            request.UserId,
            request.Attributes,
            context.Now,
            expires));

        return new
        {
            participantId,
            token,
            userId = request.UserId,
            attributes = request.Attributes,
            duration = request.DurationMinutes,
            capabilities = request.Capabilities,
            expirationTime = expires,
        };
    }

    public sealed record TokenRequest(
        int DurationMinutes, string? UserId, Dictionary<string, string> Attributes, List<string> Capabilities);
}
