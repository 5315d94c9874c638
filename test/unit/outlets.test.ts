import { OutletRegistry } from '../../services/outlets';

const outlets = OutletRegistry.fromFile();

describe('outlet normalisation', () => {
  it.each([
    ['Xin Hua She', 'xinhua', '新华社', 'Xinhua'],
    ['Jing Ji Ri Bao', 'economic-daily', '经济日报', 'Economic Daily'],
    ['Zhong Guo Xin Wen Wang', 'chinanews', '中国新闻网', 'China News Service'],
    ['Yang Shi Wang', 'cctv', '央视网', 'CCTV'],
    ['央视网', 'cctv', '央视网', 'CCTV'],
    ['  xin  hua-SHE ', 'xinhua', '新华社', 'Xinhua'],
    ['BBC News', 'bbc', '英国广播公司', 'BBC News'],
  ])('%s -> %s', (raw, id, name, nameEn) => {
    expect(outlets.resolve(raw)).toEqual({ id, name, nameEn });
  });

  it('keeps an unknown outlet as given', () => {
    expect(outlets.resolve('  Lianhe  Zaobao ')).toEqual({ id: 'Lianhe Zaobao', name: 'Lianhe Zaobao', nameEn: 'Lianhe Zaobao' });
  });
});
