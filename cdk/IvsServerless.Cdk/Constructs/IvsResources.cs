using Amazon.CDK;
using Amazon.CDK.AWS.Ivs;
using Constructs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Cdk.Constructs;

/// <param name="CompositionBucketName">An existing bucket for composition recordings; null: no storage configuration.</param>
public sealed record IvsResourcesProps(string? CompositionBucketName, string DeploymentTag);

/// <summary>
/// The IVS configuration resources compositions use: a default encoder configuration (720p30, 2.5 Mbps) and, when a
/// bucket is given, a storage configuration pointing at it. Without both, compositions answer 503 "not configured".
/// </summary>
public sealed class IvsResources : Construct
{
    public CfnEncoderConfiguration EncoderConfiguration { get; }

    public CfnStorageConfiguration? StorageConfiguration { get; }

    public IvsResources(Construct scope, string id, IvsResourcesProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        CfnTag[] tags = [new CfnTag { Key = StageTags.ManagedBy, Value = props.DeploymentTag }];
        EncoderConfiguration = new CfnEncoderConfiguration(this, "EncoderConfiguration", new CfnEncoderConfigurationProps
        {
            Video = new CfnEncoderConfiguration.VideoProperty { Width = 1280, Height = 720, Framerate = 30, Bitrate = 2_500_000 },
            Tags = tags,
        });

        if (props.CompositionBucketName is { } bucket)
        {
            StorageConfiguration = new CfnStorageConfiguration(this, "StorageConfiguration", new CfnStorageConfigurationProps
            {
                S3 = new CfnStorageConfiguration.S3StorageConfigurationProperty { BucketName = bucket },
                Tags = tags,
            });
        }
    }
}
