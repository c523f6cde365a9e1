using Amazon.CDK;
using Amazon.CDK.AWS.Ivs;
using Constructs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Cdk.Constructs;

/// <param name="CompositionBucketName">An existing bucket for composition recordings instead of the recordings bucket; null:
/// compositions record into the recordings bucket.</param>
/// <param name="RecordingsStorage">The recordings bucket's storage configuration.</param>
public sealed record IvsResourcesProps(string? CompositionBucketName, string DeploymentTag, CfnStorageConfiguration RecordingsStorage);

/// <summary>
/// The IVS configuration resources compositions use: a default encoder configuration (720p30, 2.5 Mbps) and the storage
/// configuration they record into — the recordings bucket's, where the API lists, plays and deletes them, unless a bucket of
/// the deployer's is given (then they are listed without playback: the API has no access to it).
/// </summary>
public sealed class IvsResources : Construct
{
    public CfnEncoderConfiguration EncoderConfiguration { get; }

    public CfnStorageConfiguration StorageConfiguration { get; }

    public IvsResources(Construct scope, string id, IvsResourcesProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        CfnTag[] tags = [new CfnTag { Key = StageTags.ManagedBy, Value = props.DeploymentTag }];
        EncoderConfiguration = new CfnEncoderConfiguration(this, "EncoderConfiguration", new CfnEncoderConfigurationProps
        {
            Video = new CfnEncoderConfiguration.VideoProperty { Width = 1280, Height = 720, Framerate = 30, Bitrate = 2_500_000 },
            Tags = tags,
        });

        StorageConfiguration = props.CompositionBucketName is { } bucket
            ? new CfnStorageConfiguration(this, "StorageConfiguration", new CfnStorageConfigurationProps
            {
                S3 = new CfnStorageConfiguration.S3StorageConfigurationProperty { BucketName = bucket },
                Tags = tags,
            })
            : props.RecordingsStorage;
    }
}
