using Orchestrator.Cli;

// The first Ctrl+C stops the command, so a run ends with its "cancelled" result; a second one ends the process at once.
using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    if (!stop.IsCancellationRequested)
    {
        e.Cancel = true;
        stop.Cancel();
    }
};

return await CliApplication.RunAsync(args, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
