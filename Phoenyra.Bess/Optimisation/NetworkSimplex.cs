namespace Phoenyra.Bess.Optimisation;

/// <summary>
/// Primal network simplex for min-cost flow with node supplies (Σ = 0), arc capacities and real
/// costs, after the structure of LEMON's NetworkSimplex (spanning tree kept as parent/thread
/// lists, block-search pivoting, strongly feasible trees against cycling). Exact up to floating
/// point; used for the storage LP when a daily cycle cap couples the steps of a day.
/// </summary>
internal sealed class NetworkSimplex
{
    private const int StateUpper = -1, StateTree = 0, StateLower = 1;
    private const int DirUp = 1, DirDown = -1;
    private const double Epsilon = 1e-10;

    private readonly int _nodes;
    private readonly List<(int From, int To, double Capacity, double Cost)> _arcs = [];
    private readonly double[] _supply;

    // Arc data (original arcs first, then one artificial arc per node).
    private int[] _source = [], _target = [];
    private double[] _cap = [], _cost = [], _flow = [];
    private int[] _state = [];

    // Spanning tree (node data; index _nodes is the artificial root).
    private int[] _parent = [], _pred = [], _thread = [], _revThread = [], _succNum = [], _lastSucc = [], _predDir = [];
    private double[] _pi = [];
    private readonly List<int> _dirtyRevs = [];

    private int _inArc, _join, _uIn, _vIn, _uOut, _vOut, _nextArc, _blockSize, _searchArcs;
    private double _delta;

    public NetworkSimplex(int nodes)
    {
        _nodes = nodes;
        _supply = new double[nodes];
    }

    public int AddArc(int from, int to, double capacity, double cost)
    {
        _arcs.Add((from, to, capacity, cost));
        return _arcs.Count - 1;
    }

    public void SetSupply(int node, double supply) => _supply[node] = supply;

    public double Flow(int arc) => _flow[arc];

    /// <summary>Solves; returns the total cost. Throws when the supplies cannot be routed.</summary>
    public double Solve()
    {
        Initialise();
        while (FindEnteringArc())
        {
            FindJoinNode();
            var change = FindLeavingArc();
            ChangeFlow(change);
            if (change)
            {
                UpdateTreeStructure();
                UpdatePotential();
            }
        }
        for (var e = _arcs.Count; e < _source.Length; e++)
            if (_flow[e] > 1e-7) throw new InvalidOperationException("The flow problem is infeasible: the supplies cannot be routed.");
        double cost = 0;
        for (var e = 0; e < _arcs.Count; e++) cost += _flow[e] * _cost[e];
        return cost;
    }

    private void Initialise()
    {
        var arcCount = _arcs.Count;
        var all = arcCount + _nodes;
        _source = new int[all]; _target = new int[all];
        _cap = new double[all]; _cost = new double[all]; _flow = new double[all]; _state = new int[all];
        var nodeCount = _nodes + 1;
        _parent = new int[nodeCount]; _pred = new int[nodeCount]; _thread = new int[nodeCount]; _revThread = new int[nodeCount];
        _succNum = new int[nodeCount]; _lastSucc = new int[nodeCount]; _predDir = new int[nodeCount]; _pi = new double[nodeCount];

        double maxCost = 0;
        for (var e = 0; e < arcCount; e++)
        {
            var (from, to, capacity, cost) = _arcs[e];
            _source[e] = from; _target[e] = to; _cap[e] = capacity; _cost[e] = cost;
            _state[e] = StateLower;
            maxCost = Math.Max(maxCost, cost);
        }
        var artificialCost = (maxCost + 1) * nodeCount;

        var root = _nodes;
        _parent[root] = -1;
        _pred[root] = -1;
        _thread[root] = 0;
        _revThread[0] = root;
        _succNum[root] = nodeCount;
        _lastSucc[root] = root - 1;
        _pi[root] = 0;
        for (int u = 0, e = arcCount; u < _nodes; u++, e++)
        {
            _parent[u] = root;
            _pred[u] = e;
            _thread[u] = u + 1;
            _revThread[u + 1] = u;
            _succNum[u] = 1;
            _lastSucc[u] = u;
            _cap[e] = double.PositiveInfinity;
            _state[e] = StateTree;
            if (_supply[u] >= 0)
            {
                _predDir[u] = DirUp;
                _pi[u] = 0;
                _source[e] = u; _target[e] = root;
                _flow[e] = _supply[u];
                _cost[e] = 0;
            }
            else
            {
                _predDir[u] = DirDown;
                _pi[u] = artificialCost;
                _source[e] = root; _target[e] = u;
                _flow[e] = -_supply[u];
                _cost[e] = artificialCost;
            }
        }
        _searchArcs = arcCount;
        _blockSize = Math.Max(10, (int)Math.Sqrt(arcCount));
        _nextArc = 0;
    }

    private double Reduced(int e) => _state[e] * (_cost[e] + _pi[_source[e]] - _pi[_target[e]]);

    // Block search: scan a block of arcs for the most negative reduced cost; stop at the first block that has one.
    private bool FindEnteringArc()
    {
        var min = -Epsilon;
        var count = _blockSize;
        var found = false;
        int e;
        for (e = _nextArc; e < _searchArcs; e++)
        {
            var c = Reduced(e);
            if (c < min) { min = c; _inArc = e; found = true; }
            if (--count == 0)
            {
                if (found) { _nextArc = e + 1; return true; }
                count = _blockSize;
            }
        }
        for (e = 0; e < _nextArc; e++)
        {
            var c = Reduced(e);
            if (c < min) { min = c; _inArc = e; found = true; }
            if (--count == 0)
            {
                if (found) { _nextArc = e + 1; return true; }
                count = _blockSize;
            }
        }
        if (!found) return false;
        _nextArc = e;
        return true;
    }

    private void FindJoinNode()
    {
        int u = _source[_inArc], v = _target[_inArc];
        while (u != v)
        {
            if (_succNum[u] < _succNum[v]) u = _parent[u];
            else v = _parent[v];
        }
        _join = u;
    }

    private int _first, _second;

    private bool FindLeavingArc()
    {
        if (_state[_inArc] == StateLower) { _first = _source[_inArc]; _second = _target[_inArc]; }
        else { _first = _target[_inArc]; _second = _source[_inArc]; }
        _delta = _cap[_inArc];
        var result = 0;
        for (var u = _first; u != _join; u = _parent[u])
        {
            var e = _pred[u];
            var d = _predDir[u] == DirDown ? _cap[e] - _flow[e] : _flow[e];
            if (d < _delta) { _delta = d; _uOut = u; result = 1; }
        }
        for (var u = _second; u != _join; u = _parent[u])
        {
            var e = _pred[u];
            var d = _predDir[u] == DirUp ? _cap[e] - _flow[e] : _flow[e];
            if (d <= _delta) { _delta = d; _uOut = u; result = 2; }
        }
        if (result == 1) { _uIn = _first; _vIn = _second; }
        else { _uIn = _second; _vIn = _first; }
        if (double.IsPositiveInfinity(_delta)) throw new InvalidOperationException("The flow problem is unbounded.");
        return result != 0;
    }

    private void ChangeFlow(bool change)
    {
        if (_delta > 0)
        {
            var value = _state[_inArc] * _delta;
            _flow[_inArc] += value;
            for (var u = _source[_inArc]; u != _join; u = _parent[u]) _flow[_pred[u]] -= _predDir[u] * value;
            for (var u = _target[_inArc]; u != _join; u = _parent[u]) _flow[_pred[u]] += _predDir[u] * value;
        }
        if (change)
        {
            _state[_inArc] = StateTree;
            var leaving = _pred[_uOut];
            // Snap the leaving arc to the bound it reached, so rounding never leaves a sliver of flow.
            if (_flow[leaving] <= _cap[leaving] / 2) { _flow[leaving] = 0; _state[leaving] = StateLower; }
            else { _flow[leaving] = _cap[leaving]; _state[leaving] = StateUpper; }
        }
        else
        {
            _state[_inArc] = -_state[_inArc];
            _flow[_inArc] = _state[_inArc] == StateLower ? 0 : _cap[_inArc];
        }
    }

    private void UpdateTreeStructure()
    {
        var oldRevThread = _revThread[_uOut];
        var oldSuccNum = _succNum[_uOut];
        var oldLastSucc = _lastSucc[_uOut];
        _vOut = _parent[_uOut];

        if (_uIn == _uOut)
        {
            _parent[_uIn] = _vIn;
            _pred[_uIn] = _inArc;
            _predDir[_uIn] = _uIn == _source[_inArc] ? DirUp : DirDown;
            if (_thread[_vIn] != _uOut)
            {
                var after = _thread[oldLastSucc];
                _thread[oldRevThread] = after;
                _revThread[after] = oldRevThread;
                after = _thread[_vIn];
                _thread[_vIn] = _uOut;
                _revThread[_uOut] = _vIn;
                _thread[oldLastSucc] = after;
                _revThread[after] = oldLastSucc;
            }
        }
        else
        {
            var threadContinue = oldRevThread == _vIn ? _thread[oldLastSucc] : _thread[_vIn];
            var stem = _uIn;
            var parStem = _vIn;
            var last = _lastSucc[_uIn];
            int before, after = _thread[last];
            _thread[_vIn] = _uIn;
            _dirtyRevs.Clear();
            _dirtyRevs.Add(_vIn);
            while (stem != _uOut)
            {
                var nextStem = _parent[stem];
                _thread[last] = nextStem;
                _dirtyRevs.Add(last);
                before = _revThread[stem];
                _thread[before] = after;
                _revThread[after] = before;
                _parent[stem] = parStem;
                parStem = stem;
                stem = nextStem;
                last = _lastSucc[stem] == _lastSucc[parStem] ? _revThread[parStem] : _lastSucc[stem];
                after = _thread[last];
            }
            _parent[_uOut] = parStem;
            _thread[last] = threadContinue;
            _revThread[threadContinue] = last;
            _lastSucc[_uOut] = last;
            if (oldRevThread != _vIn)
            {
                _thread[oldRevThread] = after;
                _revThread[after] = oldRevThread;
            }
            foreach (var u in _dirtyRevs) _revThread[_thread[u]] = u;

            int tmpSc = 0, tmpLs = _lastSucc[_uOut];
            for (int u = _uOut, p = _parent[u]; u != _uIn; u = p, p = _parent[u])
            {
                _pred[u] = _pred[p];
                _predDir[u] = -_predDir[p];
                tmpSc += _succNum[u] - _succNum[p];
                _succNum[u] = tmpSc;
                _lastSucc[p] = tmpLs;
            }
            _pred[_uIn] = _inArc;
            _predDir[_uIn] = _uIn == _source[_inArc] ? DirUp : DirDown;
            _succNum[_uIn] = oldSuccNum;
        }

        var upLimitOut = _lastSucc[_join] == _vIn ? _join : -1;
        var lastSuccOut = _lastSucc[_uOut];
        for (var u = _vIn; u != -1 && _lastSucc[u] == _vIn; u = _parent[u]) _lastSucc[u] = lastSuccOut;

        if (_join != oldRevThread && _vIn != oldRevThread)
        {
            for (var u = _vOut; u != upLimitOut && _lastSucc[u] == oldLastSucc; u = _parent[u]) _lastSucc[u] = oldRevThread;
        }
        else if (lastSuccOut != oldLastSucc)
        {
            for (var u = _vOut; u != upLimitOut && _lastSucc[u] == oldLastSucc; u = _parent[u]) _lastSucc[u] = lastSuccOut;
        }

        for (var u = _vIn; u != _join; u = _parent[u]) _succNum[u] += oldSuccNum;
        for (var u = _vOut; u != _join; u = _parent[u]) _succNum[u] -= oldSuccNum;
    }

    private void UpdatePotential()
    {
        var sigma = _pi[_vIn] - _pi[_uIn] - _predDir[_uIn] * _cost[_inArc];
        var end = _thread[_lastSucc[_uIn]];
        for (var u = _uIn; u != end; u = _thread[u]) _pi[u] += sigma;
    }
}
