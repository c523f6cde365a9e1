using Amazon.CDK;
using Amazon.CDK.AWS.CloudWatch;
using Amazon.CDK.AWS.CloudWatch.Actions;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.Ivs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SNS;
using Amazon.CDK.AWS.SQS;
using Constructs;
using IvsServerless.Core.Stages;

namespace IvsServerless.Cdk.Constructs;

/// <param name="ExpirationDays">Objects (recordings, thumbnails, event files) are deleted this many days after IVS wrote them.</param>
public sealed record RecordingsProps(int ExpirationDays, RemovalPolicy RemovalPolicy, string DeploymentTag);

/// <summary>
/// Individual participant recording (docs/recordings.md): the bucket IVS records into, as IVS requires it (SSE-S3,
/// bucket-owner-enforced ownership) and locked down (no public access, TLS only, objects expire), the IVS storage configuration
/// stages record with, and an alarm on recording failures.
/// </summary>
public sealed class Recordings : Construct
{
    /// <summary>The failure events of IVS individual participant recording (the start or the end of a recording failed).</summary>
    public static readonly string[] FailureEventNames = ["Recording Start Failure", "Recording End Failure"];

    public Bucket Bucket { get; }

    public CfnStorageConfiguration StorageConfiguration { get; }

    /// <summary>Failure events the alarm topic did not take (alarmed on like every dead-letter queue).</summary>
    public Queue FailureDeadLetters { get; }

    /// <summary>Matches every recording failure event of the account's stages (see <see cref="AddFailureAlarm"/>).</summary>
    public Rule? FailureRule { get; private set; }

    public Recordings(Construct scope, string id, RecordingsProps props) : base(scope, id)
    {
        ArgumentNullException.ThrowIfNull(props);
        Bucket = new Bucket(this, "Bucket", new BucketProps
        {
            Encryption = BucketEncryption.S3_MANAGED,
            ObjectOwnership = ObjectOwnership.BUCKET_OWNER_ENFORCED,
            BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
            EnforceSSL = true,
            RemovalPolicy = props.RemovalPolicy,
            LifecycleRules =
            [
                new LifecycleRule
                {
                    Id = "ExpireRecordings",
                    Expiration = Duration.Days(props.ExpirationDays),
                    AbortIncompleteMultipartUploadAfter = Duration.Days(1),
                },
            ],

            // hls.js fetches segments with XHR from the app's origin; the presigned URL, not the origin, is the access control.
            Cors =
            [
                new CorsRule
                {
                    AllowedMethods = [HttpMethods.GET, HttpMethods.HEAD],
                    AllowedOrigins = ["*"],
                    AllowedHeaders = ["Range"],
                    MaxAge = 3000,
                },
            ],
        });

        FailureDeadLetters = new Queue(this, "FailureDeadLetters", new QueueProps
        {
            Encryption = QueueEncryption.SQS_MANAGED,
            EnforceSSL = true,
            RetentionPeriod = Duration.Days(14),
        });

        StorageConfiguration = new CfnStorageConfiguration(this, "StorageConfiguration", new CfnStorageConfigurationProps
        {
            S3 = new CfnStorageConfiguration.S3StorageConfigurationProperty { BucketName = Bucket.BucketName },
            Tags = [new CfnTag { Key = StageTags.ManagedBy, Value = props.DeploymentTag }],
        });
    }

    /// <summary>
    /// Recording failures go to the alarm topic as they happen (the event, naming stage, session and participant), and an alarm on
    /// the rule's matches fires on the first one in five minutes. From EventBridge rather than the ivs-events function: it
    /// needs no code and still reports when the projection is failing.
    /// </summary>
    public Alarm AddFailureAlarm(ITopic topic)
    {
        ArgumentNullException.ThrowIfNull(topic);
        FailureRule = new Rule(this, "FailureRule", new RuleProps
        {
            Description = "IVS individual participant recording failed to start or end",
            EventPattern = new EventPattern
            {
                Source = ["aws.ivs"],
                DetailType = ["IVS Participant Recording State Change"],
                Detail = new Dictionary<string, object> { ["event_name"] = FailureEventNames },
            },
            Targets =
            [
                new SnsTopic(topic, new SnsTopicProps
                {
                    RetryAttempts = 8,
                    MaxEventAge = Duration.Hours(6),
                    DeadLetterQueue = FailureDeadLetters,
                }),
            ],
        });
        var alarm = new Alarm(this, "FailureAlarm", new AlarmProps
        {
            AlarmDescription = "An IVS participant recording failed to start or end (see the event sent to this topic)",
            Metric = new Metric(new MetricProps
            {
                Namespace = "AWS/Events",
                MetricName = "TriggeredRules",
                DimensionsMap = new Dictionary<string, string> { ["RuleName"] = FailureRule.RuleName },
                Period = Duration.Minutes(5),
                Statistic = "Sum",
            }),
            Threshold = 0,
            ComparisonOperator = ComparisonOperator.GREATER_THAN_THRESHOLD,
            EvaluationPeriods = 1,
            TreatMissingData = TreatMissingData.NOT_BREACHING,
        });
        alarm.AddAlarmAction(new SnsAction(topic));
        alarm.AddOkAction(new SnsAction(topic));
        return alarm;
    }
}
