using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Orchestrator.Docs.Tests.Markdown;

namespace Orchestrator.Docs.Tests.Harness;

/// <summary>
/// Compiles a ```csharp block of the docs in memory, against the assemblies this test project runs with (the core,
/// the adapter and store packages, Microsoft.Extensions.Hosting, Microsoft.Extensions.AI, Polly, the framework) and this project's <see cref="Ambient"/> names and host types.
/// A block with statements is a program's top-level code (types may follow the statements); a block of types only is
/// a library. Diagnostics point into the doc file through a <c>#line</c> directive.
/// </summary>
public static class SnippetCompiler
{
    /// <summary>
    /// The usings every block gets: those of a <c>Microsoft.NET.Sdk.Worker</c> project (the Generic Host's template),
    /// the core's namespaces, and the harness. The namespaces of the packages beside the core
    /// (<c>Orchestrator.Extensions.AI</c>, <c>Orchestrator.Mcp</c>, <c>Orchestrator.Stores.*</c>) are not implied: a block
    /// that uses their types says <c>using</c>, as the reader's code must (their builder extensions need none: they are
    /// in <c>Microsoft.Extensions.DependencyInjection</c>).
    /// </summary>
    public const string GlobalUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        global using Orchestrator.Core.Auditing;
        global using Orchestrator.Core.Diagnostics;
        global using Orchestrator.Core.Durability;
        global using Orchestrator.Core.Execution;
        global using Orchestrator.Core.Hosting;
        global using Orchestrator.Core.Memory;
        global using Orchestrator.Core.Model;
        global using Orchestrator.Core.Planning;
        global using Orchestrator.Core.Ports;
        global using Orchestrator.Core.Serialization;
        global using Orchestrator.Core.Usage;
        global using Orchestrator.Docs.Tests.Harness;
        global using static Orchestrator.Docs.Tests.Harness.Ambient;
        """;

    private static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(LoadReferences);

    /// <summary>Compiles the block; returns its error diagnostics as <c>file(line,column): error CSxxxx: message</c>.</summary>
    public static IReadOnlyList<string> CompileErrors(CodeBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var text = $"#line {block.FirstContentLine} \"{block.File}\"\n{block.Text}\n";
        var tree = CSharpSyntaxTree.ParseText(text, ParseOptions, path: block.File);
        var hasStatements = tree.GetCompilationUnitRoot().Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocBlock",
            [tree, CSharpSyntaxTree.ParseText(GlobalUsings, ParseOptions, path: "GlobalUsings.cs")],
            References.Value,
            new CSharpCompilationOptions(
                hasStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
                nullableContextOptions: NullableContextOptions.Enable));

        return [.. compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(Describe)];
    }

    private static string Describe(Diagnostic diagnostic)
    {
        var span = diagnostic.Location.GetMappedLineSpan();
        return $"{span.Path}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): error {diagnostic.Id}: {diagnostic.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
    }

    private static ImmutableArray<MetadataReference> LoadReferences()
    {
        // The trusted platform assemblies are the framework plus every assembly of this test project's deps.json
        // (the core, Hosting, Polly, ...), so a block compiles against exactly what the tests run with.
        var paths = ((string?)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(typeof(Ambient).Assembly.Location)
            .Concat(Directory.EnumerateFiles(AppContext.BaseDirectory, "*.dll"));
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var path in paths)
        {
            byName.TryAdd(Path.GetFileName(path), path);
        }

        return [.. byName.Values.Where(IsManagedAssembly).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))];
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
