/** On a finished training: say so; when the Train page is open, go to the new model's results. */
import { useEffect } from 'react';
import { navigate, parseHash } from '../../app/routes.js';
import { formatScore } from '../../components/metric-format.js';
import { toast } from '../../components/toasts.js';
import { useModels } from '../models/models.slice.js';
import { useTrain } from './train.slice.js';

export function useTrainOutcome(): void {
  const task = useTrain((s) => s.task);
  useEffect(() => {
    if (!task || task.announced) return;
    if (task.phase === 'succeeded') {
      useTrain.getState().markAnnounced();
      const acc = task.result ? ` · accuracy ${formatScore(task.result.metrics.accuracy)}` : '';
      toast.success(`Trained ${task.title}${acc}.`);
      void useModels.getState().loadList();
      if (task.modelId !== null && parseHash(window.location.hash).name === 'train') navigate({ name: 'model', id: task.modelId });
    } else if (task.phase === 'failed' && parseHash(window.location.hash).name !== 'train') {
      // the Train page shows the failure itself; elsewhere a toast says it
      useTrain.getState().markAnnounced();
      toast.error(`Training ${task.title} failed: ${task.error?.message ?? 'no reason given.'}`);
    }
  }, [task]);
}
