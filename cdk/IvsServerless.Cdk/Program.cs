using Amazon.CDK;
using IvsServerless.Cdk;

// `npx cdk synth|deploy` runs this through ../../cdk.json, which publishes the Lambda executable first.
var app = new App();
var settings = DeploymentSettings.FromContext(app.Node.TryGetContext);
var assets = app.Node.TryGetContext("lambdaAssetDirectory") as string ?? LambdaAsset.DefaultDirectory;
if (LambdaAsset.Problem(assets, settings.Architecture) is { } problem)
{
    await Console.Error.WriteLineAsync(problem);
    return 1;
}

_ = new IvsServerlessStack(app, settings.StackName, new IvsServerlessStackProps(settings, assets));
app.Synth();
return 0;
