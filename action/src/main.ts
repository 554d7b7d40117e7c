// Action entry (placeholder until the action issue lands).
import * as core from '@actions/core';

core.setFailed('medvlm-bench action is not implemented yet');
