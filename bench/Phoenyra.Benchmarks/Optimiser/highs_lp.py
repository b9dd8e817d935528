"""The storage LP of ../shared/data/README.md solved by HiGHS (scipy.optimize.linprog); benchmark only.

usage: highs_lp.py PRICES_FILE DT POWER ENERGY ETA [CYCLES_PER_DAY]  -> prints "revenue seconds"
Variables x = [charge (n), discharge (n), soc (n)]; soc_t = soc_{t-1} + eta*dt*c_t - dt/eta*d_t, soc_-1 = 0.
The time printed covers building the model and solving it, as the C# timing does.
"""
import sys, time
import numpy as np
from scipy.optimize import linprog
from scipy.sparse import coo_matrix, diags, hstack, identity

prices = np.loadtxt(sys.argv[1])
dt, power, energy, eta = (float(a) for a in sys.argv[2:6])
cycles = float(sys.argv[6]) if len(sys.argv) > 6 else 0.0
n = len(prices)
started = time.perf_counter()
soc_step = identity(n, format="csr") - diags([1.0], [-1], shape=(n, n), format="csr")
A_eq = hstack([identity(n) * (-eta * dt), identity(n) * (dt / eta), soc_step], format="csr")
b_eq = np.zeros(n)
A_ub, b_ub = None, None
if cycles > 0:
    steps = int(round(24 / dt))
    days = (n + steps - 1) // steps
    rows = np.arange(n) // steps
    A_ub = coo_matrix((np.full(n, dt), (rows, n + np.arange(n))), shape=(days, 3 * n)).tocsr()
    b_ub = np.full(days, cycles * energy)
c = np.concatenate([prices * dt, -prices * dt, np.zeros(n)])
bounds = [(0, power)] * (2 * n) + [(0, energy)] * n
result = linprog(c, A_ub=A_ub, b_ub=b_ub, A_eq=A_eq, b_eq=b_eq, bounds=bounds, method="highs")
elapsed = time.perf_counter() - started
print(f"{-result.fun:.6f} {elapsed:.3f}")
