import type { ReactElement, ReactNode } from 'react';
import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { createQueryClient } from '../queries';

/** Renders inside a fresh query cache (the app's own defaults: no retries). */
export function renderWithClient(
  ui: ReactElement,
  client: QueryClient = createQueryClient(),
): RenderResult & { client: QueryClient } {
  const result = render(<QueryClientProvider client={client}>{ui}</QueryClientProvider>);
  return {
    ...result,
    client,
    rerender: (next: ReactNode) =>
      result.rerender(<QueryClientProvider client={client}>{next}</QueryClientProvider>),
  };
}
