using Orchestrator.Cli;

// Ctrl+C stops the command instead of killing the process, so a run ends with its "cancelled" result.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};

return await CliApplication.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
