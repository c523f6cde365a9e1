using IvsServerless.Lambda;
using IvsServerless.Lambda.Runtime;

if (args.Length > 0 && args[0] == LocalInvoke.Command)
{
    return await LocalInvoke.RunAsync(
        args, FunctionHandlers.Registry(), Console.OpenStandardInput(), Console.OpenStandardOutput(), Console.OpenStandardError());
}

return await LambdaRuntime.RunAsync(FunctionHandlers.Registry());
