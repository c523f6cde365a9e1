using Constructs;
using IvsServerless.Cdk.Access;
using IvsServerless.Deployment.Functions;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Cdk.Constructs;

/// <param name="Recordings">The recordings bucket and its storage configuration.</param>
public sealed record ApiFunctionsProps(FunctionFoundation Foundation, Recordings Recordings);

/// <summary>
/// The HTTP API's functions, one per concern (stages, participant tokens, compositions), each with its own role: the
/// contract's declarations with their settings.
/// </summary>
public sealed class ApiFunctions : Construct
{
    public IReadOnlyList<ServerlessFunction> Functions { get; }

    /// <summary>Which function serves each route group (every group of the contract).</summary>
    public IReadOnlyDictionary<string, ServerlessFunction> ByRouteGroup { get; }

    public ApiFunctions(Construct scope, string id, ApiFunctionsProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        ServerlessFunction Function(
            string constructId, FunctionDeclaration declaration, IEnumerable<KeyValuePair<string, string>>? environment = null) =>
            new(this, constructId, new ServerlessFunctionProps(declaration, props.Foundation, environment));

        var targets = props.Foundation.Targets;

        // Self-signed tokens are signed with the key the key rotation keeps; API tokens need no key.
        var tokens = new TokenSettings
        {
            Mode = props.Foundation.Settings.TokenMode,
            MaxDurationMinutes = props.Foundation.Settings.TokenMaxDurationMinutes,
            SigningKeyParameter = targets.SigningKey?.ParameterName,
        };

        // Compositions record to S3 (the recordings bucket unless the deployer gave one) and, with a channel, also stream to it.
        var compositions = new CompositionSettings
        {
            StorageConfigurationArn = targets.Ivs.StorageConfiguration.AttrArn,
            ChannelArn = targets.CompositionChannelArn,
            EncoderConfigurationArn = targets.Ivs.EncoderConfiguration.AttrArn,
        };

        // Stages record into the recordings bucket's storage configuration; the API presigns playback in that bucket.
        var recordings = new RecordingSettings
        {
            StorageConfigurationArn = props.Recordings.StorageConfiguration.AttrArn,
            BucketName = props.Recordings.Bucket.BucketName,
            PlaybackUrlMinutes = props.Foundation.Settings.RecordingPlaybackUrlMinutes,
        };

        // Every API function counts against the per-user limits of its own routes.
        var quotas = props.Foundation.Settings.Quotas.Variables().ToList();
        Functions =
        [
            Function("StagesFunction", BackendFunctions.Stages, recordings.Variables().Concat(quotas)),
            Function("TokensFunction", BackendFunctions.Tokens, tokens.Variables().Concat(quotas)),
            Function("CompositionsFunction", BackendFunctions.Compositions, compositions.Variables().Concat(quotas)),
        ];
        ByRouteGroup = Functions
            .SelectMany(f => f.Declaration.RouteGroups.Select(group => (group, f)))
            .ToDictionary(p => p.group, p => p.f, StringComparer.Ordinal);
    }
}
