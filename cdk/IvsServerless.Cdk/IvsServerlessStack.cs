using Amazon.CDK;
using Constructs;
using IvsServerless.Cdk.Access;
using IvsServerless.Cdk.Constructs;
using IvsServerless.Deployment.Settings;

namespace IvsServerless.Cdk;

/// <param name="LambdaAssetDirectory">Where the published <c>bootstrap</c> is (the app publishes it first; tests pass a stand-in).</param>
public sealed record IvsServerlessStackProps(DeploymentSettings Settings, string LambdaAssetDirectory);

/// <summary>
/// The deployed backend, one construct per concern: data, IVS resources, token signing, the API's functions and front,
/// the event projection, the reconciler, observability. Each function construct takes its declaration from the
/// deployment contract (<c>IvsServerless.Deployment</c>): handler, settings, triggers and exactly the actions its code calls.
/// </summary>
public sealed class IvsServerlessStack : Stack
{
    public DataStore Data { get; }
    public IvsResources Ivs { get; }
    public Recordings Recordings { get; }
    public KeyRotation? TokenSigning { get; }
    public ApiFunctions ApiFunctions { get; }
    public UserDirectory? Users { get; }
    public HttpApiFront Api { get; }
    public EventProjection Events { get; }
    public Reconciliation Reconciliation { get; }
    public Observability Observability { get; }
    public LiveUpdates Live { get; }

    public IvsServerlessStack(Construct scope, string id, IvsServerlessStackProps props, IStackProps? stackProps = null)
        : base(
            scope, id, stackProps ?? new StackProps { Description = "IvsServerless: a serverless backend for Amazon IVS Real-Time apps" })
    {
        ArgumentNullException.ThrowIfNull(props);
        var settings = props.Settings;
        Data = new DataStore(this, "Data", new DataStoreProps(settings.RemovalPolicy));
        Recordings = new Recordings(this, "Recordings", new RecordingsProps(
            settings.RecordingExpirationDays, settings.RemovalPolicy, settings.DeploymentTag));
        Ivs = new IvsResources(this, "IvsResources", new IvsResourcesProps(
            settings.CompositionBucketName, settings.DeploymentTag, Recordings.StorageConfiguration));
        var foundation = new FunctionFoundation(
            props.LambdaAssetDirectory, settings, new TableSettings(Data.Table.TableName, settings.DeploymentTag),
            new GrantTargets(Data.Table, Ivs, settings.CompositionChannelArn, SigningKey: null,
                RecordingsBucketArn: Recordings.Bucket.BucketArn));
        if (settings.SelfSignedTokens)
        {
            TokenSigning = new KeyRotation(this, "TokenSigning", new KeyRotationProps(foundation));
            foundation = foundation with { Targets = foundation.Targets with { SigningKey = TokenSigning.SigningKey } };
        }

        ApiFunctions = new ApiFunctions(this, "ApiFunctions", new ApiFunctionsProps(foundation, Recordings));
        Events = new EventProjection(this, "IvsEvents", new EventProjectionProps(foundation));
        Reconciliation = new Reconciliation(this, "Reconciliation", new ReconciliationProps(foundation));

        var (issuer, audiences) = (settings.JwtIssuer, settings.JwtAudiences);
        if (issuer is null)
        {
            Users = new UserDirectory(this, "Users", new UserDirectoryProps(settings.AllowSelfSignUp, settings.RemovalPolicy));
            (issuer, audiences) = (Users.Issuer, [Users.AppClient.UserPoolClientId]);
        }

        Api = new HttpApiFront(this, "Api", new HttpApiFrontProps(
            issuer, audiences, settings.CorsAllowedOrigins, settings.ApiRateLimit, settings.ApiBurstLimit, ApiFunctions.ByRouteGroup));
        Live = new LiveUpdates(this, "Live", new LiveUpdatesProps(foundation, issuer, audiences));
        Observability = new Observability(this, "Observability", new ObservabilityProps(
            [
                .. ApiFunctions.Functions, Events.Function, Reconciliation.Function, .. TokenSigning is null ? [] : new[] {
                TokenSigning.Function }, .. Live.Functions],
            [
                Events.DeadLetterQueue, Events.Delivery.DeadLetterQueue, Reconciliation.DeadLetterQueue,
                .. TokenSigning is null ? [] : new[] { TokenSigning.DeadLetterQueue },
                Live.FailureQueue, Recordings.FailureDeadLetters],
            Api.Api, settings.AlarmEmail));
        Live.AddIteratorAgeAlarm(Observability.AlarmTopic, Duration.Minutes(1));
        Events.Delivery.AddAgeAlarm(Observability.AlarmTopic);
        Recordings.AddFailureAlarm(Observability.AlarmTopic);

        Output("ApiUrl", Api.Url, "Base URL of the HTTP API");
        Output("JwtIssuer", issuer, "Issuer the API's JWT authorizer trusts");
        Output("TableName", Data.Table.TableName, "The DynamoDB table");
        Output("LiveUrl", Live.Url, "WebSocket URL of live updates (add ?token=<user JWT>)");
        Output("RecordingsBucketName", Recordings.Bucket.BucketName, "The bucket IVS records stages into");
        Output("AlarmTopicArn", Observability.AlarmTopic.TopicArn, "Subscribe to receive alarms");
        if (TokenSigning is not null)
        {
            Output(
                "TokenSigningKeyParameter", TokenSigning.SigningKey.ParameterName,
                "SSM SecureString the key-rotation function keeps the signing key in");
        }

        if (Users is not null)
        {
            Output("UserPoolId", Users.UserPool.UserPoolId, "Cognito user pool apps sign in to");
            Output("UserPoolClientId", Users.AppClient.UserPoolClientId, "App client id (public, SRP)");
        }
    }

    private void Output(string id, string value, string description) =>
        _ = new CfnOutput(this, id, new CfnOutputProps { Value = value, Description = description });
}
