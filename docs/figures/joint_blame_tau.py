"""Figure for the joint-blame explanation: collusion and audit probabilities against transparency.

Run from the repository root: ``python docs/figures/joint_blame_tau.py``; writes
``docs/figures/joint-blame-tau.png`` next to this script.
"""
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

from gametheory_aid.models.joint_blame import JointBlame  # noqa: E402

OUT = Path(__file__).with_name("joint-blame-tau.png")


def main() -> Path:
    tau = np.linspace(0.0, 1.0, 2001)
    fig, ax = plt.subplots(figsize=(7.0, 4.2), dpi=150)
    for reward, style in ((0.0, "-"), (0.5, "--")):
        r = JointBlame(transparency=tau, whistleblower_reward=reward).solve()
        label = f"w = {reward:g}"
        ax.plot(tau, r.collusion_probability, style, color="tab:red", label=f"collusion x ({label})")
        ax.plot(tau, r.audit_probability, style, color="tab:blue", label=f"audit a ({label})")
        threshold = float(r.deterrence_threshold[0])
        ax.axvline(threshold, linestyle=style, color="grey", linewidth=0.8)
        ax.annotate(f"deterrence threshold\n({label}): {threshold:.3f}", xy=(threshold, 0.9),
                    xytext=(threshold + 0.03, 0.92 if reward == 0 else 0.78), fontsize=7, color="grey")
    ax.set_xlabel("transparency τ (probability the platform flags a false report)")
    ax.set_ylabel("probability")
    ax.set_xlim(0, 1)
    ax.set_ylim(-0.02, 1.02)
    ax.set_title("joint-blame at the defaults: collusion and audits against transparency", fontsize=9)
    ax.legend(fontsize=7, loc="center right")
    fig.tight_layout()
    fig.savefig(OUT)
    plt.close(fig)
    return OUT


if __name__ == "__main__":
    print(main())
