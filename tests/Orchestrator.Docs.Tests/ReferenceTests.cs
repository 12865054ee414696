using System.Reflection;
using System.Text.RegularExpressions;
using Orchestrator.Core.Auditing;
using Orchestrator.Core.Diagnostics;
using Orchestrator.Core.Execution;
using Microsoft.Extensions.DependencyInjection;
using Orchestrator.Core.Memory;
using Orchestrator.Core.Ports;
using Orchestrator.Core.Telemetry;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests;

/// <summary>
/// The reference pages name everything the code has: each public name below, read from the core by reflection,
/// appears in its page, so a new option, builder method, telemetry name, audit event, log event or diagnostic code
/// cannot ship undocumented.
/// </summary>
public sealed partial class ReferenceTests
{
    [Fact]
    public void Hosting_NamesEveryBuilderMethod()
    {
        var text = DocSet.File("docs/hosting.md").Lines;
        var methods = new[] { typeof(WorkflowOrchestratorServiceCollectionExtensions), typeof(OrchestratorBuilderExtensions), typeof(OrchestratorBuilderIntegrationExtensions) }
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
            .Select(m => m.Name)
            .Distinct(StringComparer.Ordinal);

        AssertAllMentioned(methods, string.Join('\n', text), "docs/hosting.md");
    }

    [Fact]
    public void Hosting_OptionsTable_ListsEveryOption()
    {
        var options = SettableProperties(typeof(WorkflowOrchestratorOptions), prefix: string.Empty)
            .Concat(SettableProperties(typeof(MemoryOptions), "Memory."))
            .Concat(SettableProperties(typeof(AuditOptions), "Audit."));
        var rows = string.Join('\n', DocSet.File("docs/hosting.md").Lines.Where(l => l.StartsWith("| `", StringComparison.Ordinal)));

        AssertAllMentioned(options, rows, "the options table of docs/hosting.md");
    }

    [Fact]
    public void Hosting_NamesEveryAuditEventWithItsWireName()
    {
        var text = string.Join('\n', DocSet.File("docs/hosting.md").Lines);
        var kinds = typeof(AuditEventKind).GetProperties(BindingFlags.Public | BindingFlags.Static)
            .Where(p => p.PropertyType == typeof(AuditEventKind))
            .Select(p => $"{p.Name}` `{((AuditEventKind)p.GetValue(null)!).Name}");

        AssertAllMentioned(kinds, text, "docs/hosting.md");
    }

    [Fact]
    public void Execution_NamesEveryTelemetryName()
    {
        var text = string.Join('\n', DocSet.File("docs/execution.md").Lines);
        var names = typeof(OrchestratorTelemetryNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (string)f.GetRawConstantValue()!);

        AssertAllMentioned(names, text, "docs/execution.md");
    }

    [Fact]
    public void Docs_NameNoTelemetryNameTheCodeDoesNotHave()
    {
        var known = typeof(OrchestratorTelemetryNames)
            .GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        var unknown = DocSet.Files
            .SelectMany(f => f.Lines.SelectMany(l => TelemetryName().Matches(l)).Select(m => $"{f.RelativePath}: {m.Groups[1].Value}"))
            .Where(n => !known.Contains(n[(n.IndexOf(": ", StringComparison.Ordinal) + 2)..]))
            .Distinct(StringComparer.Ordinal);

        Assert.Empty(unknown);
    }

    [Fact]
    public void Execution_NamesEveryLogEventWithItsId()
    {
        var source = File.ReadAllText(Path.Combine(DocSet.Root, "src/Orchestrator.Core/Telemetry/Log.cs"));
        var events = LogEvent().Matches(source).Select(m => $"`{m.Groups["name"].Value}` ({m.Groups["id"].Value}").ToList();
        var text = string.Join('\n', DocSet.File("docs/execution.md").Lines);

        Assert.NotEmpty(events);
        AssertAllMentioned(events, text, "docs/execution.md");
    }

    [Fact]
    public void WorkflowFormat_ListsEveryDiagnosticCode()
    {
        var rows = DocSet.File("docs/workflow-format.md").Lines.Where(l => l.StartsWith("| ORC", StringComparison.Ordinal)).ToList();
        var codes = typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => $"| {f.GetRawConstantValue()} | `{f.Name}` |");

        AssertAllMentioned(codes, string.Join('\n', rows), "the diagnostic table of docs/workflow-format.md");
        Assert.Equal(typeof(DiagnosticCodes).GetFields(BindingFlags.Public | BindingFlags.Static).Count(f => f.IsLiteral), rows.Count);
    }

    [Fact]
    public void Architecture_PortsTable_ListsEveryPublicInterfaceOfThePortsNamespace()
    {
        var rows = PortRows();
        var ports = PublicPortInterfaces();

        Assert.NotEmpty(ports);
        AssertAllMentioned(ports.Select(p => $"| `{p}` |"), string.Join('\n', rows), "the ports table of docs/architecture.md");
    }

    [Fact]
    public void Architecture_PortsTable_NamesOnlyInterfacesOfThePortsNamespace()
    {
        var ports = PublicPortInterfaces().ToHashSet(StringComparer.Ordinal);
        var named = PortRows().Select(r => PortCell().Match(r)).Where(m => m.Success).Select(m => m.Groups["port"].Value).ToList();

        var unknown = named.Where(n => !ports.Contains(n)).ToList();

        Assert.NotEmpty(named);
        Assert.True(unknown.Count == 0, $"The ports table of docs/architecture.md names what is no public interface of Orchestrator.Core.Ports:\n{string.Join('\n', unknown)}");
    }

    // The table rows of the "## Ports" section of docs/architecture.md (those naming a type in their first cell).
    private static List<string> PortRows() =>
        [.. DocSet.File("docs/architecture.md").Lines
            .SkipWhile(l => l != "## Ports")
            .Skip(1)
            .TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal))];

    private static List<string> PublicPortInterfaces() =>
        [.. typeof(IPluginExecutor).Assembly.GetExportedTypes()
            .Where(t => t.IsInterface && t.Namespace == "Orchestrator.Core.Ports")
            .Select(t => t.Name)
            .Order(StringComparer.Ordinal)];

    private static IEnumerable<string> SettableProperties(Type type, string prefix) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.PropertyType != typeof(MemoryOptions) && p.PropertyType != typeof(AuditOptions))
            .Select(p => $"`{prefix}{p.Name}`");

    private static void AssertAllMentioned(IEnumerable<string> names, string text, string where)
    {
        // Prose wraps lines anywhere: compare with every run of white space as one space.
        var flat = Whitespace().Replace(text, " ");
        var missing = names.Where(n => !flat.Contains(n, StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, $"Not in {where}:\n{string.Join('\n', missing)}");
    }

    [GeneratedRegex(@"^\| `(?<port>\w+)` \|")]
    private static partial Regex PortCell();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"EventId = (?<id>\d+), EventName = ""(?<name>\w+)""")]
    private static partial Regex LogEvent();

    [GeneratedRegex(@"`((?:orchestrator|gen_ai)\.[a-z_.]+)`")]
    private static partial Regex TelemetryName();
}
