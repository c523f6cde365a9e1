using IvsServerless.Lambda;
using IvsServerless.Lambda.Runtime;

return await LambdaRuntime.RunAsync(FunctionHandlers.Registry());
