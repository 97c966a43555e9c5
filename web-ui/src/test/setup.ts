import '@testing-library/jest-dom/vitest';
import { cleanup } from '@testing-library/react';
import { afterEach } from 'vitest';
import { setOnline } from '../api';
import { resetMockHttp } from './mockHttp';

afterEach(() => {
  cleanup();
  resetMockHttp();
  setOnline(true);
  sessionStorage.clear();
  window.history.replaceState(null, '', '/');
});
