using BenchmarkDotNet.Running;
using Orchestrator.Core.Benchmarks.Hosting;

// "harness ..." runs the console measurements BenchmarkDotNet does not make (see HostHarness); anything else is BenchmarkDotNet.
if (args is ["harness", .. var rest])
{
    return await HostHarness.RunAsync(rest).ConfigureAwait(false);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
