using AuthPlatform.Cli;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    return await CliApp.RunAsync(args, CliEnvironment.FromConsole(), cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 130; // interrupted (Ctrl+C), as shells report it
}
