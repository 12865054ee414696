using Orchestrator.Core.Expressions;
using Orchestrator.Core.Model;

namespace Orchestrator.Core.Planning;

/// <summary>
/// The output variables of one step list that several steps write (the compiler rebinds a name: extract into
/// <c>fields</c>, then sanitize <c>fields</c> into <c>fields</c>; or both branches of a conditional write it).
/// A rebinding is accepted when the later writer reads the name itself (so it runs after the earlier writer) or
/// when the two writers sit in mutually exclusive branches; a reader gets the nearest writer before it in the list,
/// and every writer of an exclusive branch when the nearest one is in a branch.
/// </summary>
internal sealed class Rebinds
{
    private readonly WorkflowStep[] _steps;
    private readonly int[]? _branchOwners;
    private readonly Dictionary<string, List<int>> _readers = new(StringComparer.Ordinal);
    private readonly Dictionary<(int Step, string Name), bool> _reads = [];
    private readonly List<NameUse> _uses = [];
    private readonly List<ReferencePath> _scratch = [];

    public Rebinds(WorkflowStep[] steps, Dictionary<string, List<int>> writers, int[]? branchOwners)
    {
        _steps = steps;
        Writers = writers;
        _branchOwners = branchOwners;
    }

    /// <summary>Every writer, in list order, of each rebound name.</summary>
    public Dictionary<string, List<int>> Writers { get; }

    /// <summary>The rebindings that are neither ordered after an earlier writer nor exclusive with it.</summary>
    public IEnumerable<(string Name, int Later, int Earlier)> Unordered()
    {
        foreach (var (name, writers) in Writers)
        {
            for (var k = 1; k < writers.Count; k++)
            {
                if (Reads(writers[k], name))
                {
                    continue;
                }

                for (var j = 0; j < k; j++)
                {
                    if (!Exclusive(writers[j], writers[k]))
                    {
                        yield return (name, writers[k], writers[j]);
                        break;
                    }
                }
            }
        }
    }

    /// <summary>The nearest writer before <paramref name="reader"/>; the first writer when none precedes it.</summary>
    public static int Nearest(List<int> writers, int reader)
    {
        for (var k = writers.Count - 1; k >= 0; k--)
        {
            if (writers[k] < reader)
            {
                return writers[k];
            }
        }

        return writers[0];
    }

    /// <summary>The earlier writers that could have run instead of <paramref name="nearest"/> (exclusive branches).</summary>
    public IEnumerable<int> Alternatives(string name, List<int> writers, int nearest)
    {
        if (Reads(nearest, name))
        {
            yield break; // It ran after the earlier writers and replaced their value.
        }

        for (var k = writers.IndexOf(nearest) - 1; k >= 0 && Exclusive(writers[k], nearest); k--)
        {
            yield return writers[k];
        }
    }

    /// <summary>Notes that <paramref name="reader"/> reads the rebound <paramref name="name"/>.</summary>
    public void AddReader(string name, int reader)
    {
        if (!_readers.TryGetValue(name, out var readers))
        {
            readers = [];
            _readers.Add(name, readers);
        }

        if (readers.Count == 0 || readers[^1] != reader)
        {
            readers.Add(reader);
        }
    }

    /// <summary>The readers a rebinding writer waits for: those before it that read an earlier binding.</summary>
    public IEnumerable<int> ReadersBefore(int writer)
    {
        foreach (var (name, writers) in Writers)
        {
            if (writers[0] == writer || !writers.Contains(writer) || !_readers.TryGetValue(name, out var readers))
            {
                continue;
            }

            foreach (var reader in readers)
            {
                if (reader < writer && !Exclusive(reader, writer))
                {
                    yield return reader;
                }
            }
        }
    }

    private bool Reads(int step, string name)
    {
        if (!_reads.TryGetValue((step, name), out var reads))
        {
            _uses.Clear();
            ReferenceCollector.Collect(_steps[step], _uses, _scratch);
            reads = _uses.Exists(u => u.Kind == PlanEdgeKind.Reference && u.Name == name);
            _reads.Add((step, name), reads);
        }

        return reads;
    }

    /// <summary>Whether two steps sit in different branches of one conditional or switch (at any depth).</summary>
    private bool Exclusive(int a, int b)
    {
        if (_branchOwners is null)
        {
            return false;
        }

        for (var x = a; x >= 0 && _branchOwners[x] >= 0; x = _branchOwners[x])
        {
            for (var y = b; y >= 0 && _branchOwners[y] >= 0; y = _branchOwners[y])
            {
                if (_branchOwners[x] == _branchOwners[y] && BranchOf(x) != BranchOf(y))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>Which branch of its owner a step is a target of (-1 when none is found).</summary>
    private int BranchOf(int step)
    {
        var id = _steps[step].Id;
        switch (_steps[_branchOwners![step]])
        {
            case ConditionalStep conditional:
                return conditional.TrueBranch.Contains(id) ? 0 : conditional.FalseBranch.Contains(id) ? 1 : -1;
            case SwitchStep @switch:
                for (var c = 0; c < @switch.Cases.Count; c++)
                {
                    if (@switch.Cases[c].Targets.Contains(id))
                    {
                        return c + 2;
                    }
                }

                return @switch.Default.Contains(id) ? 1 : -1;
            default:
                return -1;
        }
    }
}
