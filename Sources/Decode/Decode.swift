// Decode stage: implementation lands with its issue.
import AtlasCore
