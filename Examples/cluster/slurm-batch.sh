#!/bin/bash
# Renders a folder of latents into posters on shared storage with a Slurm job array: each array task
# renders its own balanced share (atlas reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT), then a
# dependent job checks every shard finished and writes the index.
#
#   sbatch Examples/cluster/slurm-batch.sh            # the array; prints its job id
#   sbatch --dependency=afterany:<job id> --wrap \
#     "atlas batch /shared/sae/latents --style poster -o /shared/posters --merge"
#
# The nodes need `atlas` on PATH: `make install PREFIX=/shared/latentatlas` from a checkout (on
# shared storage, with the Debian packages the Makefile lists on every node), or run the container
# image the repository's Dockerfile builds through your site's container runtime.
#
# Resubmitting the array after a failure or a preemption renders only what is missing: finished
# posters are skipped, and a killed task leaves no partial file.
#SBATCH --job-name=atlas-posters
#SBATCH --array=0-15
#SBATCH --cpus-per-task=4
#SBATCH --mem=8G
#SBATCH --time=02:00:00
#SBATCH --output=atlas-posters-%A_%a.log
set -euo pipefail

LATENTS=/shared/sae/latents
OUTPUT=/shared/posters

# -j uses the task's cores; --memory its allocation (SLURM_MEM_PER_NODE is in megabytes), so the
# renders admitted together never exceed what Slurm granted.
srun atlas batch "$LATENTS" --style poster --output "$OUTPUT" \
    -j "$SLURM_CPUS_PER_TASK" --memory "${SLURM_MEM_PER_NODE}M"
