using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Orchestrator.Core.Planning;
using Orchestrator.Core.Serialization;

namespace Orchestrator.Core.Benchmarks.Loading;

/// <summary>
/// Issue 11's goal: loading a V6 document of 30 steps costs no more than twice per step what loading
/// email-summary.json (5 steps) costs. Both documents are loaded from UTF-8 bytes, as a host reading a file or a
/// database column does, in the same run; each method reports the cost of ONE STEP (BenchmarkDotNet divides by
/// <c>OperationsPerInvoke</c>, the document's step count), so the Ratio column is the per-step ratio.
/// See docs/benchmarks.md.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(warmupCount: 3, iterationCount: 10)]
[MedianColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class LoadingBenchmarks
{
    /// <summary>Steps of email-summary.json (samples/EmailSummaryAgent/workflows), all top level.</summary>
    public const int EmailSummarySteps = 5;

    /// <summary>
    /// Steps of v6-30-steps.json, inner steps included: v6-complaint-email-logger (10, flat) followed by
    /// v6-orders-po-extractor-xlsx (20: 11 top level, 9 in scatter and conditional bodies) renumbered step11..step30.
    /// </summary>
    public const int V6Steps = 30;

    private ReadOnlyMemory<byte> _emailSummary;
    private ReadOnlyMemory<byte> _v6;

    [GlobalSetup]
    public void Setup()
    {
        _emailSummary = Fixture("email-summary.json");
        _v6 = Fixture("v6-30-steps.json");

        // Say on the run's log what each load gives, so a number measured while the V6 forms are refused (the load
        // stops at errors) is read as such.
        Console.WriteLine($"// email-summary.json: {Describe(WorkflowJson.Load(_emailSummary))}");
        Console.WriteLine($"// v6-30-steps.json: {Describe(WorkflowJson.Load(_v6))}");
        var emailSteps = WorkflowJson.Load(_emailSummary).GetDefinitionOrThrow().Steps.Count;
        if (emailSteps != EmailSummarySteps)
        {
            throw new InvalidOperationException($"email-summary.json loads {emailSteps} steps, expected {EmailSummarySteps}.");
        }
    }

    /// <summary>Loads email-summary.json; the time and allocations are per step (divided by 5).</summary>
    [BenchmarkCategory("Load"), Benchmark(Baseline = true, OperationsPerInvoke = EmailSummarySteps)]
    public WorkflowLoadResult EmailSummary_LoadPerStep() => WorkflowJson.Load(_emailSummary);

    /// <summary>Loads the 30-step V6 document; the time and allocations are per step (divided by 30).</summary>
    [BenchmarkCategory("Load"), Benchmark(OperationsPerInvoke = V6Steps)]
    public WorkflowLoadResult V6_LoadPerStep() => WorkflowJson.Load(_v6);

    /// <summary>Loads and plans email-summary.json (what <c>orchestrator validate</c> does), per step.</summary>
    [BenchmarkCategory("LoadAndPlan"), Benchmark(Baseline = true, OperationsPerInvoke = EmailSummarySteps)]
    public PlanningResult EmailSummary_LoadAndPlanPerStep() => new WorkflowPlanner().Plan(WorkflowJson.Load(_emailSummary));

    /// <summary>Loads and plans the 30-step V6 document, per step.</summary>
    [BenchmarkCategory("LoadAndPlan"), Benchmark(OperationsPerInvoke = V6Steps)]
    public PlanningResult V6_LoadAndPlanPerStep() => new WorkflowPlanner().Plan(WorkflowJson.Load(_v6));

    private static string Describe(WorkflowLoadResult loaded)
    {
        var planning = new WorkflowPlanner().Plan(loaded);
        return $"{planning.Diagnostics.Count(d => d.IsError)} errors, {planning.Diagnostics.Count(d => !d.IsError)} other diagnostics after planning; plan {(planning.Succeeded ? "made" : "refused")}";
    }

    private static byte[] Fixture(string name)
    {
        var assembly = typeof(LoadingBenchmarks).Assembly;
        using var stream = assembly.GetManifestResourceStream("Loading.Fixtures." + name)
            ?? throw new InvalidOperationException($"The fixture {name} is not embedded (see the .csproj).");
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return memory.ToArray();
    }
}
